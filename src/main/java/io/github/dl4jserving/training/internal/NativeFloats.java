package io.github.dl4jserving.training.internal;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The float buffer under an ND4J array, for the training loops that copy to and from it in bulk. */
final class NativeFloats {
    private NativeFloats() {}

    /**
     * The whole native buffer of {@code a} (a float array) in the CPU's byte order: a dense array's
     * element i sits at {@code a.offset() + i}.
     */
    static FloatBuffer of(INDArray a) {
        return a.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
