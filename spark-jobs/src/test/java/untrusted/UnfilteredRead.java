package untrusted;

import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a serialized object with every class allowed, as DL4J's ModelSerializer does with a
 * {@code preprocessor.bin}: the control showing that {@link MarkerGadget}'s marker does appear when nothing
 * stops the deserialization. Run as {@code java -Duntrusted.marker=PATH untrusted.UnfilteredRead FILE}.
 */
public final class UnfilteredRead {
    private UnfilteredRead() {
    }

    public static void main(String[] args) throws Exception {
        try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(Path.of(args[0])))) {
            in.setObjectInputFilter(info -> ObjectInputFilter.Status.ALLOWED);
            System.out.println("read " + in.readObject());
        }
    }
}
