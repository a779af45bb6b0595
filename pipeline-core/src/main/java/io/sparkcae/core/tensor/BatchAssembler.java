package io.sparkcae.core.tensor;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Builds one N x C x [D x] H x W batch from encoded patches by copying each patch's little-endian float32
 * bytes straight into the array's native buffer: no per-element boxing and no intermediate float[].
 */
public final class BatchAssembler {
    private static final boolean NATIVE_LE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private BatchAssembler() {
    }

    public static INDArray assemble(List<byte[]> patches, PatchShape shape) {
        int n = patches.size();
        int bytesPer = shape.elementCount() * Float.BYTES;
        INDArray batch = Nd4j.createUninitializedDetached(DataType.FLOAT, shape.batchShape(n));
        ByteBuffer dest = batch.data().asNio().order(ByteOrder.nativeOrder());
        if (NATIVE_LE) {
            for (byte[] p : patches) {
                check(p, bytesPer, shape);
                dest.put(p);
            }
        } else {
            var fb = dest.asFloatBuffer();
            for (byte[] p : patches) {
                check(p, bytesPer, shape);
                fb.put(FloatCodec.decode(p));
            }
        }
        return batch;
    }

    private static void check(byte[] p, int bytesPer, PatchShape shape) {
        if (p.length != bytesPer) {
            throw new IllegalArgumentException("patch has " + p.length + " bytes, expected " + bytesPer
                    + " for shape " + shape);
        }
    }
}
