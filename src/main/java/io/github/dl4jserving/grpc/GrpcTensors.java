package io.github.dl4jserving.grpc;

import com.google.protobuf.ByteString;
import io.github.dl4jserving.grpc.v2.InferParameter;
import io.github.dl4jserving.grpc.v2.InferTensorContents;
import io.github.dl4jserving.grpc.v2.ModelInferRequest;
import io.github.dl4jserving.grpc.v2.ModelInferResponse;
import io.github.dl4jserving.inference.Answers;
import io.github.dl4jserving.inference.InvalidInputException;
import io.github.dl4jserving.inference.TensorDatatype;
import io.github.dl4jserving.inference.TensorRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * ModelInfer messages to {@link TensorRequest} and answers back. An input arrives typed (the
 * contents field of its datatype) or raw ({@code raw_input_contents}: row-major, little-endian; a
 * BYTES element as a 4-byte little-endian length and its bytes); the answer comes back in the form
 * the request used. Every size is checked against the shape before anything is sized by it.
 */
final class GrpcTensors {
    private GrpcTensors() {}

    static TensorRequest read(ModelInferRequest request) {
        if (request.getInputsCount() != 1) {
            throw new InvalidInputException(
                    "inputs", "'inputs' must hold exactly one tensor, not " + request.getInputsCount() + ".");
        }
        ModelInferRequest.InferInputTensor input = request.getInputs(0);
        TensorDatatype datatype = TensorDatatype.of(input.getDatatype());
        List<Long> shape = input.getShapeList();
        long elements = TensorRequest.elements(shape);
        int k = classification(request);
        if (request.getRawInputContentsCount() > 0) {
            if (request.getRawInputContentsCount() != 1 || input.hasContents()) {
                throw new InvalidInputException(
                        "raw_input_contents",
                        "Send the input either in raw_input_contents (one entry per input) or in its contents, not both.");
            }
            return raw(datatype, shape, elements, request.getRawInputContents(0), k);
        }
        InferTensorContents contents = input.getContents();
        if (datatype == TensorDatatype.BYTES) {
            TensorRequest.checkCount(contents.getBytesContentsCount(), shape);
            List<byte[]> files = new ArrayList<>(contents.getBytesContentsCount());
            for (ByteString file : contents.getBytesContentsList()) {
                files.add(file.toByteArray());
            }
            return TensorRequest.images(shape, files, k);
        }
        int count = switch (datatype) {
            case FP32 -> contents.getFp32ContentsCount();
            case FP64 -> contents.getFp64ContentsCount();
            case INT32 -> contents.getIntContentsCount();
            default -> contents.getUintContentsCount(); // UINT8
        };
        if (count != elements) {
            throw new InvalidInputException(
                    "contents",
                    "contents." + field(datatype) + " has " + count + " elements but shape " + shape + " needs "
                            + elements + ".");
        }
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            double v = switch (datatype) {
                case FP32 -> contents.getFp32Contents(i);
                case FP64 -> contents.getFp64Contents(i);
                case INT32 -> contents.getIntContents(i);
                default -> Integer.toUnsignedLong(contents.getUintContents(i));
            };
            values[i] = datatype.element(v, i);
        }
        return TensorRequest.numbers(datatype, shape, values, k);
    }

    private static TensorRequest raw(
            TensorDatatype datatype, List<Long> shape, long elements, ByteString bytes, int k) {
        ByteBuffer buffer = bytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        if (datatype == TensorDatatype.BYTES) {
            List<byte[]> files = new ArrayList<>();
            while (buffer.hasRemaining()) {
                if (buffer.remaining() < 4) {
                    throw rawInvalid("ends inside a BYTES element's 4-byte length");
                }
                int length = buffer.getInt();
                if (length < 0 || length > buffer.remaining()) {
                    throw rawInvalid("holds a BYTES element of " + Integer.toUnsignedLong(length) + " bytes but only "
                            + buffer.remaining() + " follow");
                }
                byte[] file = new byte[length];
                buffer.get(file);
                files.add(file);
                if (files.size() > elements) {
                    break; // checkCount below names the mismatch
                }
            }
            TensorRequest.checkCount(files.size(), shape);
            return TensorRequest.images(shape, files, k);
        }
        int size = switch (datatype) {
            case FP64 -> 8;
            case UINT8 -> 1;
            default -> 4; // FP32, INT32
        };
        if (bytes.size() != elements * size) {
            throw rawInvalid("has " + bytes.size() + " bytes but shape " + shape + " of " + datatype + " needs "
                    + elements * size + " (" + size + " per element)");
        }
        float[] values = new float[(int) elements];
        for (int i = 0; i < values.length; i++) {
            double v = switch (datatype) {
                case FP32 -> buffer.getFloat();
                case FP64 -> buffer.getDouble();
                case INT32 -> buffer.getInt();
                default -> Byte.toUnsignedInt(buffer.get());
            };
            values[i] = datatype.element(v, i);
        }
        return TensorRequest.numbers(datatype, shape, values, k);
    }

    private static InvalidInputException rawInvalid(String what) {
        return new InvalidInputException("raw_input_contents", "raw_input_contents[0] " + what + ".");
    }

    /** The contents field a numeric datatype's elements go in. */
    private static String field(TensorDatatype datatype) {
        return switch (datatype) {
            case FP32 -> "fp32_contents";
            case FP64 -> "fp64_contents";
            case INT32 -> "int_contents";
            default -> "uint_contents";
        };
    }

    /**
     * The Triton classification extension: an output named {@code output} with the parameter
     * {@code classification} (an int64, or a string of digits as some clients send it). 0 for the
     * raw scores.
     */
    private static int classification(ModelInferRequest request) {
        if (request.getOutputsCount() == 0) {
            return 0;
        }
        if (request.getOutputsCount() > 1) {
            throw new InvalidInputException("outputs", "'outputs' must hold at most one tensor request.");
        }
        ModelInferRequest.InferRequestedOutputTensor output = request.getOutputs(0);
        if (!Answers.TensorModel.OUTPUT.equals(output.getName())) {
            throw new InvalidInputException(
                    "outputs", "The only output tensor is named '" + Answers.TensorModel.OUTPUT + "'.");
        }
        InferParameter k = output.getParametersMap().get("classification");
        if (k == null) {
            return 0;
        }
        return switch (k.getParameterChoiceCase()) {
            case INT64_PARAM -> TensorRequest.classification(k.getInt64Param());
            case UINT64_PARAM -> TensorRequest.classification(k.getUint64Param());
            case STRING_PARAM -> {
                if (!k.getStringParam().matches("[0-9]{1,9}")) {
                    throw new InvalidInputException(
                            "classification",
                            "'classification' must be a positive integer, not '" + k.getStringParam() + "'.");
                }
                yield TensorRequest.classification(Long.parseLong(k.getStringParam()));
            }
            default ->
                throw new InvalidInputException("classification", "'classification' must be a positive integer.");
        };
    }

    /** The answer, in the form the request used: raw bytes for raw inputs, typed contents otherwise. */
    static ModelInferResponse write(ModelInferRequest request, Answers.TensorOutput out) {
        ModelInferResponse.InferOutputTensor.Builder tensor = ModelInferResponse.InferOutputTensor.newBuilder()
                .setName(Answers.TensorModel.OUTPUT)
                .setDatatype(out.datatype())
                .addAllShape(out.shape());
        ModelInferResponse.Builder response = ModelInferResponse.newBuilder()
                .setModelName(out.model())
                .setModelVersion(Integer.toString(out.version()))
                .setId(request.getId());
        boolean raw = request.getRawInputContentsCount() > 0;
        if (raw) {
            response.addRawOutputContents(rawBytes(out));
        } else {
            InferTensorContents.Builder contents = InferTensorContents.newBuilder();
            if (out.classes() != null) {
                for (String c : out.classes()) {
                    contents.addBytesContents(ByteString.copyFromUtf8(c));
                }
            } else {
                for (float f : out.scores()) {
                    contents.addFp32Contents(f);
                }
            }
            tensor.setContents(contents);
        }
        return response.addOutputs(tensor).build();
    }

    private static ByteString rawBytes(Answers.TensorOutput out) {
        if (out.classes() != null) {
            ByteString.Output bytes = ByteString.newOutput();
            for (String c : out.classes()) {
                byte[] utf8 = c.getBytes(StandardCharsets.UTF_8);
                bytes.write(
                        ByteBuffer.allocate(4)
                                .order(ByteOrder.LITTLE_ENDIAN)
                                .putInt(utf8.length)
                                .array(),
                        0,
                        4);
                bytes.write(utf8, 0, utf8.length);
            }
            return bytes.toByteString();
        }
        ByteBuffer buffer = ByteBuffer.allocate(out.scores().length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(out.scores());
        return ByteString.copyFrom(buffer.array());
    }
}
