package io.sparkcae.core.report;

/**
 * Mean training and validation loss of one epoch. Either loss may be NaN when it was not measured
 * (for example no validation split); plots skip such points instead of failing.
 */
public record EpochLoss(int epoch, double trainLoss, double valLoss) {
}
