package untrusted;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Stands for a deserialization gadget: a serializable class outside sparkcae's allowlist (its package is not
 * io.sparkcae, on purpose). Its static initializer writes a marker file when the JVM was given
 * {@code -Duntrusted.marker=PATH}, so a test can prove the class was never initialized in that JVM.
 */
public class MarkerGadget implements Serializable {
    public static final String MARKER_PROPERTY = "untrusted.marker";
    private static final long serialVersionUID = 1L;

    static {
        String marker = System.getProperty(MARKER_PROPERTY);
        if (marker != null) {
            try {
                Files.writeString(Path.of(marker), "MarkerGadget was initialized\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final String payload = "would run code here";

    @Override
    public String toString() {
        return payload;
    }
}
