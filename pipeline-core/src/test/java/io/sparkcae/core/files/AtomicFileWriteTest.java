package io.sparkcae.core.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileWriteTest {

    @TempDir
    Path dir;

    private List<Path> listing() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    @Test
    void failedWriteKeepsTheOldFileAndLeavesNoTempFile() throws IOException {
        Path target = dir.resolve("report.html");
        Files.writeString(target, "old");

        assertThrows(IOException.class, () -> AtomicFileWrite.write(target, out -> {
            out.write("half a pa".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        }));

        assertEquals("old", Files.readString(target));
        assertEquals(List.of(target), listing());
    }

    @Test
    void writtenFileGetsTheSamePermissionsAsAnOrdinaryNewFile() throws IOException {
        assumeTrue(Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null, "POSIX file system");
        Path ordinary = Files.createFile(dir.resolve("ordinary"));
        Path written = dir.resolve("figure.png");

        AtomicFileWrite.write(written, out -> out.write(1));

        assertEquals(Files.getPosixFilePermissions(ordinary), Files.getPosixFilePermissions(written),
                "umask-governed, not owner-only like Files.createTempFile");
    }
}
