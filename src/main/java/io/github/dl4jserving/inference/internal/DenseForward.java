package io.github.dl4jserving.inference.internal;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The inference forward pass of a network made only of dense layers (an MLP, a logistic
 * regression), computed with ND4J's BLAS calls on the network's own parameters into arrays kept per
 * batch size: each layer is {@code activation(x W + b)}, as DL4J computes it, without the
 * per-call work of {@code MultiLayerNetwork.output} (about 175 µs a call on 784-500-500-10).
 *
 * <p>Up to {@link #ROW_BY_ROW} rows, each row is its own matrix-vector product: OpenBLAS's matrix
 * product packs the whole weight matrix on every call, which costs a one-row pass of the MLP's first
 * layer 160 µs against 33 µs for {@code sgemv} (one thread, AMD EPYC; docs/performance.md). From
 * eight rows on the two cost the same, and the matrix product wins beyond.
 *
 * <p>Not thread-safe: one instance per network replica, used by one thread at a time. The arrays it
 * returns are its own and are overwritten by the next pass of as many rows.
 */
final class DenseForward implements AutoCloseable {
    /** The most rows computed one matrix-vector product at a time. */
    static final int ROW_BY_ROW = 8;

    private final INDArray[] weights;
    private final INDArray[] transposed;
    private final INDArray[] biases;
    private final IActivation[] activations;
    private final Batch[] batches;

    private DenseForward(MultiLayerNetwork net, int maxRows) {
        int n = net.getnLayers();
        weights = new INDArray[n];
        transposed = new INDArray[n];
        biases = new INDArray[n];
        activations = new IActivation[n];
        for (int i = 0; i < n; i++) {
            Layer layer = net.getLayer(i);
            weights[i] = layer.getParam("W");
            transposed[i] = weights[i].transpose();
            biases[i] = layer.getParam("b");
            activations[i] = ((BaseLayer) layer.conf().getLayer()).getActivationFn();
        }
        batches = new Batch[maxRows + 1];
    }

    /**
     * The dense forward pass of {@code net} for batches of up to {@code maxRows} rows, or null when
     * the network has anything this pass does not compute exactly as DL4J would: another kind of
     * layer, a preprocessor, layer normalization, weight noise, no bias, or parameters other than
     * 32-bit floats.
     */
    static DenseForward of(MultiLayerNetwork net, int maxRows) {
        var conf = net.getLayerWiseConfigurations();
        if (net.getnLayers() == 0
                || conf.getDataType() != DataType.FLOAT
                || (conf.getInputPreProcessors() != null
                        && !conf.getInputPreProcessors().isEmpty())) {
            return null;
        }
        for (int i = 0; i < net.getnLayers(); i++) {
            var layer = net.getLayer(i).conf().getLayer();
            boolean dense = layer.getClass() == DenseLayer.class
                    && ((DenseLayer) layer).hasBias()
                    && !((DenseLayer) layer).hasLayerNorm();
            boolean output = layer.getClass() == OutputLayer.class && ((OutputLayer) layer).hasBias();
            if (!(dense || (output && i == net.getnLayers() - 1)) || ((BaseLayer) layer).getWeightNoise() != null) {
                return null;
            }
        }
        return new DenseForward(net, maxRows);
    }

    /** The most rows one pass takes. */
    int maxRows() {
        return batches.length - 1;
    }

    /**
     * The network's output for {@code input} ({@code rows} x inputs, C order), in an array of this
     * pass's own (rows x outputs, C order, not a view). The row views of a batch size are kept for
     * the input array they were made on; another array of as many rows gets new ones.
     */
    INDArray output(INDArray input, int rows) {
        Batch batch = batches[rows];
        if (batch == null || batch.input != input) {
            if (batch != null) {
                batch.close();
            }
            batch = new Batch(input, rows);
            batches[rows] = batch;
        }
        INDArray x = input;
        for (int i = 0; i < weights.length; i++) {
            INDArray out = batch.outputs[i];
            if (rows <= ROW_BY_ROW) {
                for (int r = 0; r < rows; r++) {
                    Nd4j.getBlasWrapper()
                            .level2()
                            .gemv('c', 'N', 1.0, transposed[i], batch.rowsIn[i][r], 0.0, batch.rowsOut[i][r]);
                }
            } else {
                Nd4j.gemm(x, weights[i], out, false, false, 1.0, 0.0);
            }
            out.addiRowVector(biases[i]);
            activations[i].getActivation(out, false);
            x = out;
        }
        return x;
    }

    @Override
    public void close() {
        for (Batch batch : batches) {
            if (batch != null) {
                batch.close();
            }
        }
    }

    /** The arrays of one batch size: each layer's output, and for row-by-row passes each row's views. */
    private final class Batch implements AutoCloseable {
        final INDArray input;
        final INDArray[] outputs = new INDArray[weights.length];
        final INDArray[][] rowsIn;
        final INDArray[][] rowsOut;

        Batch(INDArray input, int rows) {
            this.input = input;
            for (int i = 0; i < weights.length; i++) {
                outputs[i] = Nd4j.create(DataType.FLOAT, rows, weights[i].columns());
            }
            boolean byRow = rows <= ROW_BY_ROW;
            rowsIn = new INDArray[byRow ? weights.length : 0][];
            rowsOut = new INDArray[byRow ? weights.length : 0][];
            for (int i = 0; i < rowsIn.length; i++) {
                INDArray in = i == 0 ? input : outputs[i - 1];
                rowsIn[i] = new INDArray[rows];
                rowsOut[i] = new INDArray[rows];
                for (int r = 0; r < rows; r++) {
                    rowsIn[i][r] = in.getRow(r);
                    rowsOut[i][r] = outputs[i].getRow(r);
                }
            }
        }

        @Override
        public void close() {
            for (INDArray output : outputs) {
                output.close();
            }
        }
    }
}
