#!/usr/bin/env python3
"""Checks the service's grpc_predict_v2.proto against an independent definition of the Open Inference
Protocol's gRPC wire contract, and talks to a running server with that definition alone.

The definition below is written from the protocol's specification (KServe's grpc_predict_v2:
package, service, method and message names, field numbers and types), not generated from the
service's proto. The script then (1) compiles the service's proto with grpc_tools.protoc and
requires every field of the definition to have the same number, type and cardinality there, and
(2) calls ServerLive, ModelMetadata and ModelInfer on --target with message classes built from the
definition, so a field the server numbers differently from the protocol shows up as a wrong answer.

    python3 src/test/python/oip_wire_contract.py --target localhost:8081 [--key KEY]
"""
import argparse
import importlib
import os
import struct
import sys
import tempfile

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from grpc_tools import protoc

F = descriptor_pb2.FieldDescriptorProto
SCALARS = {"bool": F.TYPE_BOOL, "string": F.TYPE_STRING, "bytes": F.TYPE_BYTES, "int32": F.TYPE_INT32,
           "int64": F.TYPE_INT64, "uint32": F.TYPE_UINT32, "uint64": F.TYPE_UINT64, "float": F.TYPE_FLOAT,
           "double": F.TYPE_DOUBLE}
MAP = "map<string,InferParameter>"

# message -> [(field, number, type)]; "repeated X", a message name, or MAP. Nested messages as "Outer.Inner".
SPEC = {
    "ServerLiveRequest": [], "ServerLiveResponse": [("live", 1, "bool")],
    "ServerReadyRequest": [], "ServerReadyResponse": [("ready", 1, "bool")],
    "ModelReadyRequest": [("name", 1, "string"), ("version", 2, "string")],
    "ModelReadyResponse": [("ready", 1, "bool")],
    "ServerMetadataRequest": [],
    "ServerMetadataResponse": [("name", 1, "string"), ("version", 2, "string"), ("extensions", 3, "repeated string")],
    "ModelMetadataRequest": [("name", 1, "string"), ("version", 2, "string")],
    "ModelMetadataResponse": [("name", 1, "string"), ("versions", 2, "repeated string"), ("platform", 3, "string"),
                              ("inputs", 4, "repeated ModelMetadataResponse.TensorMetadata"),
                              ("outputs", 5, "repeated ModelMetadataResponse.TensorMetadata")],
    "ModelMetadataResponse.TensorMetadata": [("name", 1, "string"), ("datatype", 2, "string"),
                                             ("shape", 3, "repeated int64")],
    "ModelInferRequest": [("model_name", 1, "string"), ("model_version", 2, "string"), ("id", 3, "string"),
                          ("parameters", 4, MAP), ("inputs", 5, "repeated ModelInferRequest.InferInputTensor"),
                          ("outputs", 6, "repeated ModelInferRequest.InferRequestedOutputTensor"),
                          ("raw_input_contents", 7, "repeated bytes")],
    "ModelInferRequest.InferInputTensor": [("name", 1, "string"), ("datatype", 2, "string"),
                                           ("shape", 3, "repeated int64"), ("parameters", 4, MAP),
                                           ("contents", 5, "InferTensorContents")],
    "ModelInferRequest.InferRequestedOutputTensor": [("name", 1, "string"), ("parameters", 2, MAP)],
    "ModelInferResponse": [("model_name", 1, "string"), ("model_version", 2, "string"), ("id", 3, "string"),
                           ("parameters", 4, MAP), ("outputs", 5, "repeated ModelInferResponse.InferOutputTensor"),
                           ("raw_output_contents", 6, "repeated bytes")],
    "ModelInferResponse.InferOutputTensor": [("name", 1, "string"), ("datatype", 2, "string"),
                                             ("shape", 3, "repeated int64"), ("parameters", 4, MAP),
                                             ("contents", 5, "InferTensorContents")],
    "InferParameter": [("bool_param", 1, "bool"), ("int64_param", 2, "int64"), ("string_param", 3, "string")],
    "InferTensorContents": [("bool_contents", 1, "repeated bool"), ("int_contents", 2, "repeated int32"),
                            ("int64_contents", 3, "repeated int64"), ("uint_contents", 4, "repeated uint32"),
                            ("uint64_contents", 5, "repeated uint64"), ("fp32_contents", 6, "repeated float"),
                            ("fp64_contents", 7, "repeated double"), ("bytes_contents", 8, "repeated bytes")],
}
ONEOF = {"InferParameter": "parameter_choice"}
METHODS = ["ServerLive", "ServerReady", "ModelReady", "ServerMetadata", "ModelMetadata", "ModelInfer"]


def independent_pool():
    """The specification's messages as a descriptor pool of their own."""
    fdp = descriptor_pb2.FileDescriptorProto(name="independent_oip.proto", package="inference", syntax="proto3")
    built = {}
    for full in SPEC:  # outer messages come before their nested ones in SPEC
        outer, _, inner = full.partition(".")
        msg = (built[outer].nested_type.add(name=inner) if inner else fdp.message_type.add(name=outer))
        built[full] = msg
        if full in ONEOF:
            msg.oneof_decl.add(name=ONEOF[full])
        for name, number, kind in SPEC[full]:
            field = msg.field.add(name=name, number=number, label=F.LABEL_OPTIONAL)
            if full in ONEOF:
                field.oneof_index = 0
            if kind == MAP:
                entry = msg.nested_type.add(name="".join(p.capitalize() for p in name.split("_")) + "Entry")
                entry.options.map_entry = True
                entry.field.add(name="key", number=1, label=F.LABEL_OPTIONAL, type=F.TYPE_STRING)
                entry.field.add(name="value", number=2, label=F.LABEL_OPTIONAL, type=F.TYPE_MESSAGE,
                                type_name=".inference.InferParameter")
                field.label, field.type, field.type_name = F.LABEL_REPEATED, F.TYPE_MESSAGE, \
                    f".inference.{full}.{entry.name}"
                continue
            if kind.startswith("repeated "):
                field.label, kind = F.LABEL_REPEATED, kind[len("repeated "):]
            if kind in SCALARS:
                field.type = SCALARS[kind]
            else:
                field.type, field.type_name = F.TYPE_MESSAGE, f".inference.{kind}"
    service = fdp.service.add(name="GRPCInferenceService")
    for method in METHODS:
        service.method.add(name=method, input_type=f".inference.{method}Request",
                           output_type=f".inference.{method}Response")
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fdp)
    return pool


def compiled_module(proto):
    out = tempfile.mkdtemp(prefix="oip-wire-")
    folder, name = os.path.split(os.path.abspath(proto))
    if protoc.main(["protoc", f"-I{folder}", f"--python_out={out}", name]) != 0:
        raise SystemExit(f"protoc could not compile {proto}")
    sys.path.insert(0, out)
    return importlib.import_module(name[: -len(".proto")] + "_pb2")


def compare(spec_pool, ours):
    """Every field of the specification, with its number, type and cardinality, in the service's proto."""
    problems, checked = [], 0
    for full in SPEC:
        expected = spec_pool.FindMessageTypeByName(f"inference.{full}")
        try:
            actual = ours.DESCRIPTOR.pool.FindMessageTypeByName(f"inference.{full}")
        except KeyError:
            problems.append(f"message inference.{full} is missing")
            continue
        for field in expected.fields:
            mine = actual.fields_by_name.get(field.name)
            checked += 1
            if mine is None:
                problems.append(f"{full}.{field.name} is missing")
                continue
            same = (mine.number, mine.type, mine.label) == (field.number, field.type, field.label)
            if field.message_type is not None:
                same = same and mine.message_type is not None and (
                    mine.message_type.GetOptions().map_entry == field.message_type.GetOptions().map_entry)
                if not field.message_type.GetOptions().map_entry:
                    same = same and mine.message_type.full_name == field.message_type.full_name
            if not same:
                problems.append(f"{full}.{field.name}: number/type/label {mine.number}/{mine.type}/{mine.label}, "
                                f"the protocol has {field.number}/{field.type}/{field.label}")
    service = ours.DESCRIPTOR.services_by_name.get("GRPCInferenceService")
    for method in METHODS:
        m = service.methods_by_name.get(method) if service else None
        if m is None or m.input_type.full_name != f"inference.{method}Request" \
                or m.output_type.full_name != f"inference.{method}Response":
            problems.append(f"rpc {method} does not match the protocol")
    return problems, checked


def call(channel, pool, method, request, metadata):
    classes = message_factory.MessageFactory(pool)
    response = classes.GetPrototype(pool.FindMessageTypeByName(f"inference.{method}Response"))
    rpc = channel.unary_unary(f"/inference.GRPCInferenceService/{method}",
                              request_serializer=lambda m: m.SerializeToString(),
                              response_deserializer=response.FromString)
    return rpc(request, metadata=metadata, timeout=60)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", required=True)
    parser.add_argument("--key")
    parser.add_argument("--proto", default=os.path.join(os.path.dirname(__file__), "..", "..", "main", "protobuf",
                                                        "grpc_predict_v2.proto"))
    args = parser.parse_args()
    pool = independent_pool()
    problems, checked = compare(pool, compiled_module(args.proto))
    if problems:
        print("the proto does not match the protocol:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    print(f"wire contract: {checked} fields and {len(METHODS)} methods match the protocol")

    classes = message_factory.MessageFactory(pool)
    message = lambda name: classes.GetPrototype(pool.FindMessageTypeByName(f"inference.{name}"))()
    auth = [("x-api-key", args.key)] if args.key else []
    with grpc.insecure_channel(args.target) as channel:
        live = call(channel, pool, "ServerLive", message("ServerLiveRequest"), [])
        request = message("ModelMetadataRequest")
        request.name = "breast-cancer-logreg"
        meta = call(channel, pool, "ModelMetadata", request, auth)
        width = meta.inputs[0].shape[1]
        infer = message("ModelInferRequest")
        infer.model_name, infer.id = "breast-cancer-logreg", "wire-1"
        tensor = infer.inputs.add(name="input", datatype="FP32", shape=[2, width])
        tensor.contents.fp32_contents.extend([8, 10, 10, 8, 7, 10, 9, 7, 1] + [1] * width if width == 9 else
                                             [0.0] * (2 * width))
        answer = call(channel, pool, "ModelInfer", infer, auth)
        out = answer.outputs[0]
        print(f"independent client: live {live.live}; {meta.name} input {meta.inputs[0].datatype} "
              f"{list(meta.inputs[0].shape)}; infer id {answer.id} v{answer.model_version} {out.datatype} "
              f"{list(out.shape)} {[round(v, 4) for v in out.contents.fp32_contents]}")
        if not (live.live and answer.id == "wire-1" and list(out.shape) == [2, len(out.contents.fp32_contents) // 2]):
            print("the server's answers do not read as the protocol's messages", file=sys.stderr)
            return 1
        # Raw contents, decoded by the protocol's layout: little-endian float32, row-major.
        infer.ClearField("raw_input_contents")
        tensor.ClearField("contents")
        infer.raw_input_contents.append(struct.pack(f"<{2 * width}f", *([1.0] * (2 * width))))
        raw = call(channel, pool, "ModelInfer", infer, auth)
        values = struct.unpack(f"<{len(raw.raw_output_contents[0]) // 4}f", raw.raw_output_contents[0])
        print(f"raw: {len(raw.raw_output_contents[0])} bytes -> {[round(v, 4) for v in values]}")
        if len(values) != 2 * out.shape[1]:
            return 1
    print("wire contract checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
