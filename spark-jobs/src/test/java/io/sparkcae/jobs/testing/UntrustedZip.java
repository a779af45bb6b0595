package io.sparkcae.jobs.testing;

import untrusted.MarkerGadget;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** Alters a model or checkpoint zip the way an attacker with write access to its storage could. */
public final class UntrustedZip {
    private UntrustedZip() {
    }

    /** A serialized {@link MarkerGadget} (constructing it initializes the class in this JVM only). */
    public static byte[] gadget() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new MarkerGadget());
        }
        return bytes.toByteArray();
    }

    /** The zip with one more entry (e.g. the {@code preprocessor.bin} DL4J's ModelSerializer would deserialize). */
    public static byte[] withEntry(byte[] zip, String name, byte[] content) throws IOException {
        return rewrite(zip, name, old -> content, true);
    }

    /** The zip with an existing entry's content replaced. */
    public static byte[] replacing(byte[] zip, String name, UnaryOperator<byte[]> content) throws IOException {
        return rewrite(zip, name, content, false);
    }

    /** Rewrites a zip file in place, dropping Hadoop's local checksum file that would no longer match. */
    public static void addEntry(Path zip, String name, byte[] content) throws IOException {
        Files.write(zip, withEntry(Files.readAllBytes(zip), name, content));
        Files.deleteIfExists(zip.resolveSibling("." + zip.getFileName() + ".crc"));
    }

    private static byte[] rewrite(byte[] zip, String name, UnaryOperator<byte[]> content, boolean add)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean found = false;
        try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(zip));
             ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                byte[] b = in.readAllBytes();
                if (e.getName().equals(name)) {
                    found = true;
                    b = content.apply(b);
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(b);
                out.closeEntry();
            }
            if (add) {
                out.putNextEntry(new ZipEntry(name));
                out.write(content.apply(null));
                out.closeEntry();
            } else if (!found) {
                throw new IllegalArgumentException("no entry " + name + " in the zip");
            }
        }
        return bytes.toByteArray();
    }
}
