package io.github.dl4jserving;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;

/** A serializable object that records being deserialized: the side effect a gadget chain would have. */
public final class Tripwire implements Serializable {
    private static final long serialVersionUID = 1L;
    private static volatile boolean tripped;

    public static boolean tripped() {
        return tripped;
    }

    public static void reset() {
        tripped = false;
    }

    /** The Java serialization of a Tripwire. */
    public static byte[] serialized() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new Tripwire());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        tripped = true;
    }
}
