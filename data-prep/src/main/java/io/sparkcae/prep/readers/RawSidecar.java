package io.sparkcae.prep.readers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.core.error.SparkCaeException;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The JSON sidecar that describes a headerless .raw volume:
 * {@code {"shape": [t, c, z, y, x], "dtype": "float32", "byteOrder": "little", "axes": ["t","c","z","y","x"]}}.
 * The shape may be shorter (z, y, x at least); "axes" names the file's axes slowest first and defaults to
 * the last entries of t, c, z, y, x, so a file written x-slowest (Fortran style) says so explicitly.
 *
 * @param display   the sidecar as messages name it
 * @param fileOrder logical axes (0 = t ... 4 = x) slowest first, missing t/c placed outermost
 */
record RawSidecar(String display, long[] shape, ElementType type, boolean bigEndian, List<String> axes,
                  int[] fileOrder) implements Serializable {

    private static final List<String> LOGICAL = List.of("t", "c", "z", "y", "x");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The sidecar of a .raw file: same folder, same name with .json instead of .raw. */
    static String pathFor(String rawPath) {
        int dot = rawPath.lastIndexOf('.');
        int slash = rawPath.lastIndexOf('/');
        return (dot > slash ? rawPath.substring(0, dot) : rawPath) + ".json";
    }

    /**
     * Shape in logical order for {@link VolumeLayout}: (t, c, z, y, x) when there is a time axis (c = 1 if the
     * file has none), else (c, z, y, x) or (z, y, x).
     */
    long[] logicalShape() {
        int rank = axes.contains("t") ? 5 : axes.contains("c") ? 4 : 3;
        long[] logical = new long[rank];
        for (int k = 0; k < rank; k++) {
            int at = axes.indexOf(LOGICAL.get(5 - rank + k));
            logical[k] = at < 0 ? 1 : shape[at];
        }
        return logical;
    }

    long dataBytes() {
        long n = type.bytes();
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Reads and checks the sidecar of the .raw file {@code rawDisplay}. */
    static RawSidecar read(InputFile sidecar, String rawDisplay) {
        if (!sidecar.exists()) {
            throw SparkCaeException.badData(rawDisplay + ": has no JSON sidecar " + sidecar.display()
                    + " giving its shape, dtype, byteOrder and axes");
        }
        JsonNode root;
        try (InputStream in = sidecar.openRaw()) {
            root = JSON.readTree(in);
        } catch (IOException e) {
            throw SparkCaeException.badData(sidecar.display() + ": not valid JSON (" + e.getMessage().lines()
                    .findFirst().orElse("") + ")", e);
        }
        String display = sidecar.display();
        if (root == null || !root.isObject()) {
            throw bad(display, "must be a JSON object");
        }
        long[] shape = shape(display, root.get("shape"));
        ElementType type = type(display, root.get("dtype"));
        boolean big = byteOrder(display, root.get("byteOrder"), type);
        List<String> axes = axes(display, root.get("axes"), shape.length);
        return new RawSidecar(display, shape, type, big, axes, fileOrder(axes));
    }

    private static long[] shape(String display, JsonNode node) {
        if (node == null || !node.isArray() || node.size() < 3 || node.size() > 5) {
            throw bad(display, "\"shape\" must be a list of 3 to 5 sizes ([z,y,x] up to [t,c,z,y,x]), got " + node);
        }
        long[] shape = new long[node.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!node.get(i).canConvertToLong() || !node.get(i).isIntegralNumber() || node.get(i).asLong() <= 0) {
                throw bad(display, "\"shape\" sizes must be positive integers, got " + node);
            }
            shape[i] = node.get(i).asLong();
        }
        return shape;
    }

    private static ElementType type(String display, JsonNode node) {
        ElementType type = node == null || !node.isTextual() ? null : ElementType.ofLabel(node.asText());
        if (type == null) {
            throw bad(display, "unsupported \"dtype\" " + node + "; supported: "
                    + Arrays.stream(ElementType.values()).map(ElementType::label).toList());
        }
        return type;
    }

    /** Required for multi-byte types: guessing the byte order would silently produce garbage values. */
    private static boolean byteOrder(String display, JsonNode node, ElementType type) {
        if (node == null && type.bytes() == 1) {
            return false;
        }
        String order = node == null || !node.isTextual() ? "" : node.asText();
        if (!order.equals("little") && !order.equals("big")) {
            throw bad(display, "\"byteOrder\" must be \"little\" or \"big\", got " + node);
        }
        return order.equals("big");
    }

    private static List<String> axes(String display, JsonNode node, int rank) {
        if (node == null) {
            return new ArrayList<>(LOGICAL.subList(5 - rank, 5));
        }
        List<String> axes = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(a -> axes.add(a.asText()));
        }
        boolean valid = node.isArray() && axes.size() == rank && axes.stream().distinct().count() == rank
                && LOGICAL.containsAll(axes) && axes.containsAll(List.of("z", "y", "x"));
        if (!valid) {
            throw bad(display, "\"axes\" must name each of z, y, x and optionally t, c once, one per \"shape\" "
                    + "entry, got " + node);
        }
        return axes;
    }

    private static int[] fileOrder(List<String> axes) {
        int[] order = new int[5];
        int k = 0;
        for (String missing : List.of("t", "c")) {
            if (!axes.contains(missing)) {
                order[k++] = LOGICAL.indexOf(missing);
            }
        }
        for (String axis : axes) {
            order[k++] = LOGICAL.indexOf(axis);
        }
        return order;
    }

    private static SparkCaeException bad(String display, String problem) {
        return SparkCaeException.badData(display + ": " + problem);
    }
}
