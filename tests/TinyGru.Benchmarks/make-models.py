#!/usr/bin/env python3
"""Writes the benchmark models S1-S4 (bare GRU, PyTorch convention, PyTorch default init U(-1/sqrt(H), 1/sqrt(H)),
fixed seeds) as TinyGru model files. Reproducible: python3 make-models.py (no third-party packages)."""
import base64, hashlib, json, math, random, struct, os

CONFIGS = {"s1": (1, 8), "s2": (3, 16), "s3": (32, 64), "s4": (100, 256)}

def tensor(name, shape, values):
    data = struct.pack("<%df" % len(values), *values)
    return {"name": name, "dtype": "float32", "shape": shape,
            "checksum": "sha256:" + hashlib.sha256(data).hexdigest(),
            "data": base64.b64encode(data).decode("ascii")}

for name, (i, h) in CONFIGS.items():
    rng = random.Random(1000 + i * 1000 + h)
    bound = 1 / math.sqrt(h)
    u = lambda n: [rng.uniform(-bound, bound) for _ in range(n)]
    model = {
        "format": "tinygru.model",
        "formatVersion": 1,
        "provenance": {"producer": "tests/TinyGru.Benchmarks/make-models.py",
                       "source": "benchmark config %s: GRU(%d, %d), PyTorch default init, seed %d" % (name.upper(), i, h, 1000 + i * 1000 + h)},
        "architecture": {"gru": {"inputSize": i, "hiddenSize": h, "layers": 1, "bidirectional": False, "convention": "pytorch"}},
        "tensors": [tensor("gru.weight_ih_l0", [3 * h, i], u(3 * h * i)), tensor("gru.weight_hh_l0", [3 * h, h], u(3 * h * h)),
                    tensor("gru.bias_ih_l0", [3 * h], u(3 * h)), tensor("gru.bias_hh_l0", [3 * h], u(3 * h))],
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "models", name + ".tgru")
    with open(path, "w") as f:
        json.dump(model, f, indent=1)
        f.write("\n")
    print(path, os.path.getsize(path))
