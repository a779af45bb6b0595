package io.sparkcae.core.report;

/**
 * Black → red → yellow → white colour ramp. Brightness rises monotonically along it, so the map
 * still reads correctly when printed in gray scale, unlike rainbow ramps.
 */
final class HeatRamp {

    private HeatRamp() {
    }

    /** @param t position on the ramp; clamped to [0,1], NaN maps to black */
    static int rgb(double t) {
        if (!(t > 0)) {
            return 0;
        }
        double u = Math.min(t, 1.0) * 3.0;
        return (channel(u) << 16) | (channel(u - 1.0) << 8) | channel(u - 2.0);
    }

    private static int channel(double v) {
        return (int) Math.round(Math.max(0.0, Math.min(1.0, v)) * 255.0);
    }
}
