import com.google.protobuf.ByteString;
import io.github.dl4jserving.grpc.v2.GRPCInferenceServiceGrpc;
import io.github.dl4jserving.grpc.v2.InferParameter;
import io.github.dl4jserving.grpc.v2.InferTensorContents;
import io.github.dl4jserving.grpc.v2.ModelInferRequest;
import io.github.dl4jserving.grpc.v2.ModelInferResponse;
import io.github.dl4jserving.grpc.v2.ModelMetadataRequest;
import io.github.dl4jserving.grpc.v2.ModelMetadataResponse;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A Java client of dl4j-serving's gRPC port with grpc-java's typed stub: the model's metadata, a PNG
 * classified as a BYTES tensor, and one row of 784 zeros sent as raw little-endian FP32.
 *
 * <pre>
 * ./mvnw -q compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
 * java -cp "target/classes:$(cat target/classpath.txt)" examples/java/GrpcClient.java localhost:8081 [api-key]
 * </pre>
 */
public class GrpcClient {
    public static void main(String[] args) throws Exception {
        String target = args.length > 0 ? args[0] : "localhost:8081";
        ManagedChannel channel = Grpc.newChannelBuilder(target, InsecureChannelCredentials.create()).build();
        try {
            Metadata headers = new Metadata();
            if (args.length > 1) {
                headers.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), args[1]);
            }
            GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub = GRPCInferenceServiceGrpc.newBlockingStub(
                            channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .withDeadlineAfter(60, TimeUnit.SECONDS);

            ModelMetadataResponse meta = stub.modelMetadata(
                    ModelMetadataRequest.newBuilder().setName("mnist-mlp").build());
            System.out.println("mnist-mlp versions " + meta.getVersionsList() + ", input "
                    + meta.getInputs(0).getDatatype() + " " + meta.getInputs(0).getShapeList());

            byte[] png = Files.readAllBytes(Path.of("examples", "digit.png"));
            ModelInferResponse best = stub.modelInfer(ModelInferRequest.newBuilder()
                    .setModelName("mnist-mlp")
                    .addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                            .setName("image")
                            .setDatatype("BYTES")
                            .addShape(1)
                            .setContents(InferTensorContents.newBuilder().addBytesContents(ByteString.copyFrom(png))))
                    .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder()
                            .setName("output")
                            .putParameters("classification", InferParameter.newBuilder().setInt64Param(1).build()))
                    .build());
            System.out.println("digit.png: " + best.getOutputs(0).getContents().getBytesContents(0).toStringUtf8()
                    + " (score:class:label)");

            ByteBuffer row = ByteBuffer.allocate(784 * 4).order(ByteOrder.LITTLE_ENDIAN);
            ModelInferResponse raw = stub.modelInfer(ModelInferRequest.newBuilder()
                    .setModelName("mnist-mlp")
                    .addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                            .setName("input")
                            .setDatatype("FP32")
                            .addShape(1)
                            .addShape(784))
                    .addRawInputContents(ByteString.copyFrom(row.array()))
                    .build());
            ByteBuffer scores = raw.getRawOutputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            StringBuilder out = new StringBuilder();
            while (scores.hasRemaining()) {
                out.append(String.format(" %.3f", scores.getFloat()));
            }
            System.out.println("a blank row, raw FP32 " + raw.getOutputs(0).getShapeList() + ":" + out);
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
