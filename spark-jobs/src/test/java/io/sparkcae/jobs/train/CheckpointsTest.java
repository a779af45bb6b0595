package io.sparkcae.jobs.train;

import io.sparkcae.core.config.LayeredConfigLoader;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.model.CaeNetworkBuilder;
import io.sparkcae.core.tensor.PatchShape;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checkpoints belong to the run that wrote them; stray names are ignored; a failed write leaves no temp. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class CheckpointsTest {
    private static ComputationGraph net;

    @TempDir
    Path tmp;

    @BeforeAll
    static void tinyNetwork() {
        net = new CaeNetworkBuilder(LayeredConfigLoader.load(null, List.of("model.encoder-channels=[4]",
                "model.latent-dim=4")).model(), PatchShape.of(1, 8, 8)).build(1e-3, 1).network();
    }

    /** The one run folder inside a checkpoint dir (tests that read checkpoints by name use it). */
    static Path runFolder(Path checkpointDir) throws IOException {
        try (var s = Files.list(checkpointDir)) {
            List<Path> runs = s.filter(p -> p.getFileName().toString().startsWith(Checkpoints.RUN_PREFIX)).toList();
            if (runs.size() != 1) {
                throw new AssertionError("expected one run folder in " + checkpointDir + ", found " + runs);
            }
            return runs.get(0);
        }
    }

    private static Checkpoints.State epoch(int e, String fp) {
        return Checkpoints.State.epochEnd(e, List.of(), 1, 0.5, fp);
    }

    @Test
    void anEarlierConfigsCheckpointsNeitherBlockResumeNorArePrunedByThisRun() throws Exception {
        Checkpoints c = new Checkpoints(tmp.toString(), 1, new Configuration());
        String old = "a".repeat(64);
        String now = "b".repeat(64);
        for (int e = 1; e <= 3; e++) {
            c.save(epoch(e, old), net, net);
        }
        assertNull(c.latest(now), "no checkpoint of this run yet");
        assertEquals(List.of(Checkpoints.runFolderName(old)), c.otherRuns(now));
        c.save(epoch(1, now), net, net);
        c.save(epoch(2, now), net, net);
        Checkpoints.Restored r = c.latest(now);
        assertNotNull(r);
        assertEquals(2, r.state().epoch());
        assertEquals(now, r.state().fingerprint());
        // keep 1 (+ the best epoch 1) of each run, each run pruning only its own folder
        assertTrue(Files.isDirectory(tmp.resolve(Checkpoints.runFolderName(old)).resolve("epoch-0003")));
        assertTrue(Files.isDirectory(tmp.resolve(Checkpoints.runFolderName(old)).resolve("epoch-0001")));
        assertEquals(3, c.latest(old).state().epoch());
    }

    @Test
    void aStrayCopyBesideTheCheckpointsIsIgnored() throws Exception {
        Checkpoints c = new Checkpoints(tmp.toString(), 2, new Configuration());
        String fp = "c".repeat(64);
        c.save(epoch(1, fp), net, net);
        Path run = tmp.resolve(Checkpoints.runFolderName(fp));
        Files.createDirectories(run.resolve("epoch-0001.bak"));
        Files.writeString(run.resolve("notes.txt"), "x");
        c.save(epoch(2, fp), net, net);
        c.save(epoch(3, fp), net, net);
        assertEquals(3, c.latest(fp).state().epoch());
        assertTrue(Files.isDirectory(run.resolve("epoch-0001.bak")), "not ours to prune");
    }

    @Test
    void aFailedWriteLeavesNoTemporaryFolder() throws Exception {
        Checkpoints c = new Checkpoints(tmp.toString(), 2, new Configuration());
        String fp = "d".repeat(64);
        c.save(epoch(1, fp), net, net);
        Path run = tmp.resolve(Checkpoints.runFolderName(fp));
        ComputationGraph broken = null; // serialising a null network fails mid-write, after the temp folder exists
        assertThrows(SparkCaeException.class, () -> c.save(epoch(2, fp), broken, net));
        try (var s = Files.list(run)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().contains(".tmp-")), "temp removed");
        }
    }
}
