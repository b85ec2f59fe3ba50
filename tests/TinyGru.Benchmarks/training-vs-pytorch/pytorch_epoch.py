#!/usr/bin/env python3
"""Times one epoch of the seed sentiment model in PyTorch on the exact batches `tinygru train` uses.

The batches come from `tinygru train --write-batches FILE` (format: src/TinyGru.Training/Loop/BatchPlanFile.cs).
The model is the tutorial's: Embedding(V, 100, padding_idx) -> GRU(100, 256) -> dropout 0.5 -> Linear(256, 1),
BCE-with-logits, Adam 1e-3. PyTorch's fast CPU path is used: every batch is padded to its longest review
(batches are length-bucketed, so little is wasted) and the output at each review's last real token feeds the
head. (The tutorial's packed path is ~15x slower on CPU: see ../shared/docs/peers.md.)
"""
import argparse
import array
import os
import sys
import time

import torch
import torch.nn as nn

MAGIC = 0x50424754


def read_plan(path):
    data = array.array("i")
    with open(path, "rb") as f:
        data.fromfile(f, os.path.getsize(path) // 4)
    if sys.byteorder != "little":
        data.byteswap()
    if len(data) < 5 or data[0] != MAGIC:
        sys.exit(f"{path}: not a TinyGru batch plan (tinygru train --write-batches)")
    if data[1] != 1:
        sys.exit(f"{path}: batch plan version {data[1]} is not supported")
    vocabulary, padding, count = data[2], data[3], data[4]
    at = 5
    batches = []
    for _ in range(count):
        n = data[at]; at += 1
        lengths = data[at:at + n].tolist(); at += n
        labels = [float(v) for v in data[at:at + n]]; at += n
        total = sum(lengths)
        tokens = data[at:at + total]; at += total
        batches.append((lengths, labels, tokens))
    if at != len(data):
        sys.exit(f"{path}: {len(data) - at} trailing int32 values after {count} batches")
    return vocabulary, padding, batches


def padded(lengths, tokens, padding):
    """[T_max, B] token ids, padding after each review's end."""
    out = torch.full((max(lengths), len(lengths)), padding, dtype=torch.long)
    at = 0
    for b, n in enumerate(lengths):
        out[:n, b] = torch.tensor(tokens[at:at + n], dtype=torch.long)
        at += n
    return out


class Sentiment(nn.Module):
    def __init__(self, vocabulary, padding, embedding=100, hidden=256, dropout=0.5):
        super().__init__()
        self.embedding = nn.Embedding(vocabulary, embedding, padding_idx=padding)
        self.gru = nn.GRU(embedding, hidden)
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(hidden, 1)

    def forward(self, ids, lengths):
        outputs, _ = self.gru(self.embedding(ids))          # [T, B, H]
        last = outputs[lengths - 1, torch.arange(ids.shape[1])]  # each review's state after its last token
        return self.head(self.dropout(last)).squeeze(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("plan", help="file written by tinygru train --write-batches")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--batches", type=int, default=None, help="time only the first N batches")
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    vocabulary, padding, batches = read_plan(args.plan)
    if args.batches is not None:
        batches = batches[:args.batches]
    model = Sentiment(vocabulary, padding)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.BCEWithLogitsLoss()
    model.train()

    print(f"pytorch {torch.__version__}, {torch.get_num_threads()} threads, BLAS: "
          f"{'openblas' if 'openblas' in torch.__config__.show().lower() or _loaded_openblas() else 'see LD_LIBRARY_PATH'}")
    tokens = seen = correct = 0
    loss_sum = 0.0
    seconds = 0.0
    for i, (lengths, labels, ids) in enumerate(batches):
        x = padded(lengths, ids, padding)
        y = torch.tensor(labels)
        n = torch.tensor(lengths)
        start = time.perf_counter()
        optimizer.zero_grad()
        logits = model(x, n)
        loss = loss_fn(logits, y)
        loss.backward()
        optimizer.step()
        seconds += time.perf_counter() - start
        tokens += sum(lengths)
        seen += len(lengths)
        loss_sum += loss.item() * len(lengths)
        correct += int(((logits > 0).float() == y).sum())
        if (i + 1) % max(1, len(batches) // 10) == 0:
            print(f"  batch {i + 1}/{len(batches)}  loss {loss_sum / seen:.3f}  acc {100 * correct / seen:.1f}%  "
                  f"{tokens / seconds:,.0f} tokens/s", flush=True)
    print(f"pytorch epoch: {len(batches)} batches, {tokens:,} tokens in {seconds:.1f} s = {tokens / seconds:,.0f} tokens/s "
          f"(train loss {loss_sum / seen:.3f}, acc {100 * correct / seen:.2f}%)")


def _loaded_openblas():
    try:
        with open("/proc/self/maps") as maps:
            return "openblas" in maps.read()
    except OSError:
        return False


if __name__ == "__main__":
    main()
