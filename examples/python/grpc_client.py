#!/usr/bin/env python3
"""A dl4j-serving client over gRPC (the Open Inference Protocol's inference.GRPCInferenceService),
with Debian's python3-grpcio and python3-grpc-tools: stubs are compiled from the service's own
src/main/protobuf/grpc_predict_v2.proto at start, so nothing generated is committed.

    python3 examples/python/grpc_client.py --target localhost:8081 --image examples/digit.png

It checks liveness and readiness, reads the metadata, classifies a PNG sent as a BYTES tensor, runs a
batch of 32 FP32 rows sent as raw_input_contents, and shows the status codes of three mistakes: a
wrong shape, an unknown model and, with --key on a server with protect-reads, a missing key.
Exits with 0 when every answer was the expected one, 1 otherwise.
"""
import argparse
import importlib
import json
import os
import struct
import sys
import tempfile

import grpc
from grpc_tools import protoc

HERE = os.path.dirname(os.path.abspath(__file__))
PROTO = os.path.join(HERE, "..", "..", "src", "main", "protobuf", "grpc_predict_v2.proto")


def compile_stubs(proto):
    """Compiles the proto into a temporary directory and imports its message and stub modules."""
    out = tempfile.mkdtemp(prefix="dl4j-serving-grpc-")
    folder, name = os.path.split(os.path.abspath(proto))
    if protoc.main(["protoc", f"-I{folder}", f"--python_out={out}", f"--grpc_python_out={out}", name]) != 0:
        raise SystemExit(f"protoc could not compile {proto}")
    sys.path.insert(0, out)
    module = name[: -len(".proto")]
    return importlib.import_module(f"{module}_pb2"), importlib.import_module(f"{module}_pb2_grpc")


def expect_error(call, code, what):
    """Runs a call that must fail with status `code`; prints the server's detail."""
    try:
        call()
    except grpc.RpcError as e:
        if e.code() != code:
            raise AssertionError(f"{what}: expected {code.name}, got {e.code().name}: {e.details()}")
        print(f"{what}: {e.code().name}: {e.details()}")
        return
    raise AssertionError(f"{what}: expected {code.name}, but the call succeeded")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", default="localhost:8081", help="host:port of the gRPC port")
    parser.add_argument("--image", default=os.path.join(HERE, "..", "digit.png"))
    parser.add_argument("--pixels", default=os.path.join(HERE, "..", "digit-pixels.json"),
                        help="a 28x28 digit as JSON pixels 0-255, for the FP32 rows")
    parser.add_argument("--model", default="mnist-mlp")
    parser.add_argument("--key", help="the API key, sent as x-api-key metadata")
    parser.add_argument("--proto", default=PROTO)
    args = parser.parse_args()

    pb, stubs = compile_stubs(args.proto)
    channel = grpc.insecure_channel(args.target, options=[("grpc.max_receive_message_length", 16 << 20)])
    stub = stubs.GRPCInferenceServiceStub(channel)
    auth = [("x-api-key", args.key)] if args.key else []

    live = stub.ServerLive(pb.ServerLiveRequest(), timeout=30)
    ready = stub.ServerReady(pb.ServerReadyRequest(), timeout=30)
    print(f"live: {live.live}, ready: {ready.ready}")
    assert live.live and ready.ready

    server = stub.ServerMetadata(pb.ServerMetadataRequest(), metadata=auth, timeout=30)
    meta = stub.ModelMetadata(pb.ModelMetadataRequest(name=args.model), metadata=auth, timeout=30)
    inputs = {t.name: (t.datatype, list(t.shape)) for t in meta.inputs}
    print(f"server {server.name} {server.version}; {meta.name} versions {list(meta.versions)} inputs {inputs}")
    width = inputs["input"][1][1]
    assert stub.ModelReady(pb.ModelReadyRequest(name=args.model), metadata=auth, timeout=30).ready

    # A PNG as a BYTES tensor, prepared as /predict prepares it; the best class of each row.
    with open(args.image, "rb") as f:
        png = f.read()
    request = pb.ModelInferRequest(model_name=args.model, id="png-1")
    tensor = request.inputs.add(name="image", datatype="BYTES", shape=[1])
    tensor.contents.bytes_contents.append(png)
    request.outputs.add(name="output").parameters["classification"].int64_param = 1
    answer = stub.ModelInfer(request, metadata=auth, timeout=60)
    best = answer.outputs[0].contents.bytes_contents[0].decode()
    print(f"image {os.path.basename(args.image)}: {best} (score:class:label) from {answer.model_name} "
          f"v{answer.model_version}, id {answer.id}")
    assert answer.id == "png-1"

    # 32 FP32 rows as raw little-endian bytes: the digit, each row a little fainter.
    with open(args.pixels) as f:
        pixels = [p / 255.0 for row in json.load(f)["pixels"] for p in row]
    assert len(pixels) == width, f"{args.pixels} has {len(pixels)} pixels; the model takes {width}"
    rows = [[p * (1 - r / 64) for p in pixels] for r in range(32)]
    request = pb.ModelInferRequest(model_name=args.model)
    request.inputs.add(name="input", datatype="FP32", shape=[32, width])
    request.raw_input_contents.append(struct.pack(f"<{32 * width}f", *[v for row in rows for v in row]))
    answer = stub.ModelInfer(request, metadata=auth, timeout=60)
    out = answer.outputs[0]
    classes = out.shape[1]
    scores = struct.unpack(f"<{32 * classes}f", answer.raw_output_contents[0])
    labels = [max(range(classes), key=lambda c: scores[r * classes + c]) for r in range(32)]
    sums = [sum(scores[r * classes:(r + 1) * classes]) for r in range(32)]
    print(f"32 raw FP32 rows: output {out.datatype} {list(out.shape)}, classes {sorted(set(labels))}, "
          f"row sums {min(sums):.4f}-{max(sums):.4f}")
    assert list(out.shape) == [32, classes] and all(abs(s - 1) < 1e-3 for s in sums)
    assert best.split(":")[1] == str(labels[0]), "the PNG and its pixel rows disagree"

    bad = pb.ModelInferRequest(model_name=args.model)
    bad.inputs.add(name="input", datatype="FP32", shape=[1, width - 1]).contents.fp32_contents.extend([0.0] * (width - 1))
    expect_error(lambda: stub.ModelInfer(bad, metadata=auth, timeout=30), grpc.StatusCode.INVALID_ARGUMENT,
                 "wrong shape")
    unknown = pb.ModelInferRequest(model_name="no-such-model")
    unknown.inputs.add(name="input", datatype="FP32", shape=[1, 1]).contents.fp32_contents.append(0.0)
    expect_error(lambda: stub.ModelInfer(unknown, metadata=auth, timeout=30), grpc.StatusCode.NOT_FOUND,
                 "unknown model")
    if args.key:
        expect_error(lambda: stub.ModelMetadata(pb.ModelMetadataRequest(name=args.model), timeout=30),
                     grpc.StatusCode.UNAUTHENTICATED, "missing key")
    print("all gRPC checks passed")


if __name__ == "__main__":
    try:
        main()
    except (AssertionError, grpc.RpcError) as e:
        print(f"FAILED: {e}", file=sys.stderr)
        sys.exit(1)
