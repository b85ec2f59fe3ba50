#!/usr/bin/env python3
"""Writes models/s1…s4.onnx: one ONNX GRU node (opset 14, linear_before_reset=1) with the same weights as
models/s1…s4.tgru, gates reordered from PyTorch's r, z, n to ONNX's z, r, h. Hand-written protobuf encoding,
no third-party packages. Run after make-models.py."""
import base64, json, os, struct

HERE = os.path.dirname(os.path.abspath(__file__))

def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)

def field(number, wire, payload):
    key = varint((number << 3) | wire)
    if wire == 0:
        return key + varint(payload)
    return key + varint(len(payload)) + payload

def s(number, text): return field(number, 2, text.encode())
def msg(number, body): return field(number, 2, body)
def i(number, value): return field(number, 0, value)

def tensor(name, dims, floats):
    return b"".join(i(1, d) for d in dims) + i(2, 1) + s(8, name) + field(9, 2, struct.pack("<%df" % len(floats), *floats))

def value_info(name, dims):
    shape = b"".join(msg(1, s(2, d) if isinstance(d, str) else i(1, d)) for d in dims)
    return s(1, name) + msg(2, msg(1, i(1, 1) + msg(2, shape)))

def reorder(values, h, width):
    # rows r, z, n → z, r, n
    r, z, n = values[:h * width], values[h * width:2 * h * width], values[2 * h * width:]
    return z + r + n

for name in ["s1", "s2", "s3", "s4"]:
    m = json.load(open(os.path.join(HERE, "models", name + ".tgru")))
    gru = m["architecture"]["gru"]
    I, H = gru["inputSize"], gru["hiddenSize"]
    t = {x["name"]: list(struct.unpack("<%df" % (len(base64.b64decode(x["data"])) // 4), base64.b64decode(x["data"]))) for x in m["tensors"]}
    W = reorder(t["gru.weight_ih_l0"], H, I)
    R = reorder(t["gru.weight_hh_l0"], H, H)
    B = reorder(t["gru.bias_ih_l0"], H, 1) + reorder(t["gru.bias_hh_l0"], H, 1)
    node = s(1, "X") + s(1, "W") + s(1, "R") + s(1, "B") + s(1, "") + s(1, "initial_h") + s(2, "Y") + s(2, "Y_h") + s(3, "gru") + s(4, "GRU") \
        + msg(5, s(1, "hidden_size") + i(3, H) + i(20, 2)) + msg(5, s(1, "linear_before_reset") + i(3, 1) + i(20, 2))
    graph = msg(1, node) + s(2, name) + msg(5, tensor("W", [1, 3 * H, I], W)) + msg(5, tensor("R", [1, 3 * H, H], R)) \
        + msg(5, tensor("B", [1, 6 * H], B)) + msg(11, value_info("X", ["seq", 1, I])) + msg(11, value_info("initial_h", [1, 1, H])) \
        + msg(12, value_info("Y", ["seq", 1, 1, H])) + msg(12, value_info("Y_h", [1, 1, H]))
    model = i(1, 8) + s(2, "tinygru make-onnx.py") + msg(7, graph) + msg(8, s(1, "") + i(2, 14))
    path = os.path.join(HERE, "models", name + ".onnx")
    open(path, "wb").write(model)
    print(path, len(model))
