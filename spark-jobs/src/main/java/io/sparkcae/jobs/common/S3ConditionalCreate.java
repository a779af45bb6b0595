package io.sparkcae.jobs.common;

import com.amazonaws.AmazonServiceException;
import com.amazonaws.services.s3.AmazonS3;
import com.amazonaws.services.s3.model.ObjectMetadata;
import com.amazonaws.services.s3.model.PutObjectRequest;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.s3a.S3AFileSystem;

import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Create-if-absent on S3: one PUT with {@code If-None-Match: *}, which the store answers with 412 when the key
 * exists, deciding between racing writers itself (Amazon S3 since August 2024; MinIO, Ceph RGW and other
 * S3-compatible stores). Hadoop 3.3's S3A has no conditional create, so the PUT goes through the S3 client
 * that S3A already configured (endpoint, credentials, retries), never a second client built from guessed
 * settings. Kept out of {@link ExclusiveCreate} so that the S3A classes load only for {@code s3a://} paths.
 */
final class S3ConditionalCreate {
    /**
     * Hadoop property that turns the conditional PUT off, for an S3-compatible store that refuses the header;
     * without it two runs racing for one run dir there may both believe they committed.
     */
    static final String ENABLED = "sparkcae.s3a.conditional-create";
    private static final int CONFLICT_RETRIES = 3;

    private S3ConditionalCreate() {
    }

    static boolean applies(FileSystem fs) {
        return fs instanceof S3AFileSystem && fs.getConf().getBoolean(ENABLED, true);
    }

    /** True when this writer created {@code target}; false when the key already existed. */
    static boolean create(FileSystem fs, Path target, byte[] bytes) throws IOException {
        S3AFileSystem s3a = (S3AFileSystem) fs;
        AmazonS3 client = s3a.getAmazonS3ClientForTesting("sparkcae commit marker: conditional PUT");
        String key = s3a.pathToKey(fs.makeQualified(target));
        for (int attempt = 1; ; attempt++) {
            ObjectMetadata meta = new ObjectMetadata();
            meta.setContentLength(bytes.length);
            PutObjectRequest put = new PutObjectRequest(s3a.getBucket(), key, new ByteArrayInputStream(bytes), meta);
            put.putCustomRequestHeader("If-None-Match", "*");
            try {
                client.putObject(put);
                return true;
            } catch (AmazonServiceException e) {
                switch (e.getStatusCode()) {
                    case 412:
                        return false; // another writer's object is there
                    case 409:
                        // S3's ConditionalRequestConflict: a concurrent write to the key was in flight; asking
                        // again gets 412 once it has landed, or success if it was a delete
                        if (attempt < CONFLICT_RETRIES) {
                            continue;
                        }
                        throw new IOException(target + ": S3 answered 409 (a conflicting write) " + attempt
                                + " times to the commit marker's conditional PUT", e);
                    case 400:
                    case 501:
                        throw new IOException(target + ": the S3 store refused a conditional PUT (If-None-Match: *; "
                                + e.getStatusCode() + " " + e.getErrorCode() + "); set spark.hadoop." + ENABLED
                                + "=false to commit without it, and never race two runs on one run dir there", e);
                    default:
                        throw new IOException(target + ": the commit marker's PUT failed: " + e.getStatusCode() + " "
                                + e.getErrorCode() + " " + e.getErrorMessage(), e);
                }
            }
        }
    }
}
