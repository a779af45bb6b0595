package io.sparkcae.core.files;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Replaces a file in one step, so a report viewer (or a rerun that crashes half-way) never sees a
 * truncated PNG or HTML page. The temp file lives in the target's directory because a rename is
 * only atomic within one file system.
 */
public final class AtomicFileWrite {

    /** Writes the file's content to the stream it is given; must not close it. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFileWrite() {
    }

    public static void write(Path target, Body body) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        // Not Files.createTempFile: that makes the file owner-only (0600), and the rename would carry
        // those permissions over, leaving reports unreadable to anyone serving the run directory.
        Path tmp = dir.resolve("." + absolute.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp, CREATE_NEW, WRITE)) {
                body.writeTo(out);
            }
            Files.move(tmp, absolute, ATOMIC_MOVE, REPLACE_EXISTING);
        } finally {
            // Only still there when writing or moving failed.
            Files.deleteIfExists(tmp);
        }
    }
}
