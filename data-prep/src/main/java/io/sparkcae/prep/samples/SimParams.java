package io.sparkcae.prep.samples;

import java.util.Arrays;

/**
 * Parameters of one advection–diffusion run on the periodic cube [0, 2π)^3.
 *
 * @param name        file name stem of the outputs, e.g. "adv-k0.02"
 * @param n           grid points per axis
 * @param steps       saved time steps, the initial state included
 * @param stepTime    physical time between saved steps; the solver takes as many stable sub-steps as needed
 * @param diffusivity κ of the scalar (≥ 0); upwinding adds numerical diffusion on top of it
 * @param abc         amplitudes (A, B, C) of the ABC flow u = (A sin z + C cos y, B sin x + A cos z,
 *                    C sin y + B cos x): steady, divergence-free, spatially varying
 * @param drift       a uniform velocity (ux, uy, uz) added to the ABC flow
 * @param blobs       number of Gaussian blobs in the initial scalar field
 * @param seed        seeds the blobs' centres, widths and amplitudes: same seed, same run
 * @param channels    1 (the scalar) or 4 (the scalar, then the velocity components ux, uy, uz)
 */
public record SimParams(String name, int n, int steps, double stepTime, double diffusivity, double[] abc,
                        double[] drift, int blobs, long seed, int channels) {

    public SimParams {
        if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("name must be a plain file name stem, got '" + name + "'");
        }
        if (n < 4 || steps < 1 || blobs < 1 || !(stepTime > 0) || !(diffusivity >= 0)) {
            throw new IllegalArgumentException("need n >= 4, steps >= 1, blobs >= 1, stepTime > 0, diffusivity >= 0; got "
                    + "n=" + n + " steps=" + steps + " blobs=" + blobs + " stepTime=" + stepTime + " diffusivity="
                    + diffusivity);
        }
        if (abc == null || abc.length != 3 || drift == null || drift.length != 3) {
            throw new IllegalArgumentException("abc and drift need 3 components each");
        }
        if (channels != 1 && channels != 4) {
            throw new IllegalArgumentException("channels must be 1 (scalar) or 4 (scalar + velocity), got " + channels);
        }
        abc = abc.clone();
        drift = drift.clone();
    }

    /** A 32^3, 16-step run of three blobs in an ABC flow with A, B, C = 1, 0.8, 0.6, all four channels. */
    public static SimParams defaults(String name) {
        return new SimParams(name, 32, 16, 0.25, 0.02, new double[]{1.0, 0.8, 0.6}, new double[3], 3, 1L, 4);
    }

    public SimParams withName(String newName) {
        return new SimParams(newName, n, steps, stepTime, diffusivity, abc, drift, blobs, seed, channels);
    }

    public SimParams withGrid(int newN, int newSteps) {
        return new SimParams(name, newN, newSteps, stepTime, diffusivity, abc, drift, blobs, seed, channels);
    }

    public SimParams withDiffusivity(double newDiffusivity) {
        return new SimParams(name, n, steps, stepTime, newDiffusivity, abc, drift, blobs, seed, channels);
    }

    public SimParams withFlow(double[] newAbc, double[] newDrift) {
        return new SimParams(name, n, steps, stepTime, diffusivity, newAbc, newDrift, blobs, seed, channels);
    }

    public SimParams withSeed(long newSeed) {
        return new SimParams(name, n, steps, stepTime, diffusivity, abc, drift, blobs, newSeed, channels);
    }

    public SimParams withBlobs(int newBlobs) {
        return new SimParams(name, n, steps, stepTime, diffusivity, abc, drift, newBlobs, seed, channels);
    }

    public SimParams withChannels(int newChannels) {
        return new SimParams(name, n, steps, stepTime, diffusivity, abc, drift, blobs, seed, newChannels);
    }

    @Override
    public double[] abc() {
        return abc.clone();
    }

    @Override
    public double[] drift() {
        return drift.clone();
    }

    @Override
    public String toString() {
        return name + "{n=" + n + ", steps=" + steps + ", stepTime=" + stepTime + ", diffusivity=" + diffusivity
                + ", abc=" + Arrays.toString(abc) + ", drift=" + Arrays.toString(drift) + ", blobs=" + blobs
                + ", seed=" + seed + ", channels=" + channels + "}";
    }
}
