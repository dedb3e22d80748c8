package io.github.dl4jserving.inference.internal;

import java.util.function.Consumer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One copy of a version's network and what its forward passes reuse: an input array per batch size
 * seen (up to {@code maxBatchSize} rows), the {@link DenseForward} pass when the network has one,
 * and otherwise an output workspace of the thread that runs DL4J's {@code output}. A DL4J network
 * must not run two passes at once: each replica belongs to one batch worker.
 */
final class Replica {
    /** Grows from nothing on first use and keeps what it learned: outputs of the batch sizes seen. */
    private static final WorkspaceConfiguration OUTPUT_WORKSPACE = WorkspaceConfiguration.builder()
            .initialSize(0)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .policyAllocation(AllocationPolicy.OVERALLOCATE)
            .build();

    final MultiLayerNetwork net;
    private final DenseForward dense;
    private final String outputWorkspace;
    private final int width;
    private final INDArray[] inputs;

    Replica(MultiLayerNetwork net, String outputWorkspace, int width, int maxBatchSize) {
        this.net = net;
        this.dense = DenseForward.of(net, maxBatchSize);
        this.outputWorkspace = outputWorkspace;
        this.width = width;
        this.inputs = new INDArray[maxBatchSize + 1];
    }

    /** An input array of {@code rows} rows: kept for batch sizes up to maxBatchSize, fresh above. */
    INDArray input(int rows) {
        if (rows < inputs.length) {
            if (inputs[rows] == null) {
                inputs[rows] = Nd4j.create(DataType.FLOAT, rows, width);
            }
            return inputs[rows];
        }
        return Nd4j.create(DataType.FLOAT, rows, width);
    }

    void release(INDArray input, int rows) {
        if (rows >= inputs.length) {
            input.close();
        }
    }

    /**
     * Runs the forward pass of the {@code rows} rows of {@code input} and gives its output to
     * {@code use}, which must copy what it keeps: the array is reused by the next pass.
     */
    void forward(INDArray input, int rows, Consumer<INDArray> use) {
        if (dense != null && rows <= dense.maxRows()) {
            use.accept(dense.output(input, rows));
            return;
        }
        try (MemoryWorkspace ws =
                Nd4j.getWorkspaceManager().getAndActivateWorkspace(OUTPUT_WORKSPACE, outputWorkspace)) {
            use.accept(net.output(input, false, null, null, ws));
        }
    }

    /** Frees the kept arrays and the calling thread's workspaces: call on the thread that ran the passes. */
    void close() {
        if (dense != null) {
            dense.close();
        }
        for (INDArray input : inputs) {
            if (input != null) {
                input.close();
            }
        }
        Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
    }
}
