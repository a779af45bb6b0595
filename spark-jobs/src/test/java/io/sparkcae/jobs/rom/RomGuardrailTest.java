package io.sparkcae.jobs.rom;

import io.sparkcae.core.report.EpochLoss;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RomGuardrailTest {
    private static final double MEAN = 1e-3;

    private static List<EpochLoss> falling(int epochs, double from, double to, double gap) {
        List<EpochLoss> h = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            double val = from + (to - from) * e / epochs;
            h.add(new EpochLoss(e, val / gap, val));
        }
        return h;
    }

    @Test
    void aModelThatLosesToTheTrainMeanIsFlaggedWithItsStillFallingValidationLoss() {
        // the user's case: 8 short epochs, validation still dropping, held-out worse than the mean
        RomGuardrail.Training t = new RomGuardrail.Training(falling(8, 5e-3, 1.2e-3, 1.0), 8, false, "train.epochs");
        Optional<RomGuardrail.Finding> f = RomGuardrail.check("CAE", 2, 1.3e-3, MEAN, 7e-5, t);
        assertTrue(f.isPresent());
        String msg = f.get().message();
        assertTrue(msg.contains("the train mean (1.0000e-03)"), msg);
        assertTrue(msg.contains("POD with 2 modes (7.0000e-05)"), msg);
        assertTrue(msg.contains("val loss still falling at the last epoch"), msg);
        assertTrue(msg.contains("too few epochs: only 8 ran (raise train.epochs)"), msg);
        assertTrue(msg.contains("underfit"), msg);
        assertEquals(List.of("the train mean (1.0000e-03)", "POD with 2 modes (7.0000e-05)"), f.get().toMap().get("loses_to"));
    }

    @Test
    void aTrainValidationGapIsNamed() {
        // long enough, flat at the end, but validation 5x the train error: overfitting
        List<EpochLoss> h = new ArrayList<>(falling(40, 4e-4, 2e-4, 5.0));
        for (int e = 41; e <= 60; e++) {
            h.add(new EpochLoss(e, 4e-5, 2.1e-4));
        }
        RomGuardrail.Training t = new RomGuardrail.Training(h, 40, true, "train.epochs");
        RomGuardrail.Finding f = RomGuardrail.check("CAE", 4, 2e-4, MEAN, 1e-4, t).orElseThrow();
        assertEquals(List.of("POD with 4 modes (1.0000e-04)"), f.losesTo());
        assertEquals(1, f.causes().size(), f.causes().toString());
        assertTrue(f.causes().get(0).startsWith("train/val gap: at its best epoch 40"), f.causes().toString());
    }

    @Test
    void aModelBeatingBothIsNotFlaggedAndAMissingHistoryIsSaidSo() {
        assertFalse(RomGuardrail.check("POD-AE", 2, 1e-5, MEAN, 7e-5, RomGuardrail.Training.unknown("x")).isPresent());
        RomGuardrail.Finding f = RomGuardrail.check("CAE", 2, 2e-3, MEAN, Double.NaN,
                RomGuardrail.Training.unknown("train.epochs")).orElseThrow();
        assertEquals(1, f.losesTo().size());
        assertTrue(f.causes().get(0).startsWith("no training history"), f.causes().toString());
    }
}
