#!/usr/bin/env python3
"""Writes the request bodies of bench/grpc.sh: one 784-value FP32 row of mnist-mlp (the example digit,
0-1) as an Open Inference Protocol REST JSON body, and as gRPC ModelInfer messages in their HTTP/2
framing (a 0 byte, the 4-byte big-endian length, the message), raw and typed. Stubs come from the
service's proto, as in examples/python/grpc_client.py.

    /usr/bin/python3 bench/grpc_bodies.py OUT_DIR
"""
import json
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "python"))
from grpc_client import PROTO, compile_stubs  # noqa: E402

out = sys.argv[1]
pb, _ = compile_stubs(PROTO)
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "digit-pixels.json")) as f:
    row = [p / 255.0 for line in json.load(f)["pixels"] for p in line]

with open(os.path.join(out, "row.json"), "w") as f:
    json.dump({"inputs": [{"name": "input", "shape": [1, 784], "datatype": "FP32", "data": row}]}, f)

raw = pb.ModelInferRequest(model_name="mnist-mlp")
raw.inputs.add(name="input", datatype="FP32", shape=[1, 784])
raw.raw_input_contents.append(struct.pack("<784f", *row))
typed = pb.ModelInferRequest(model_name="mnist-mlp")
typed.inputs.add(name="input", datatype="FP32", shape=[1, 784]).contents.fp32_contents.extend(row)
for name, message in (("row-raw.grpc", raw), ("row-typed.grpc", typed)):
    body = message.SerializeToString()
    with open(os.path.join(out, name), "wb") as f:
        f.write(b"\x00" + struct.pack(">I", len(body)) + body)
print(f"bodies in {out}: row.json, row-raw.grpc ({len(raw.SerializeToString())} bytes), "
      f"row-typed.grpc ({len(typed.SerializeToString())} bytes)")
