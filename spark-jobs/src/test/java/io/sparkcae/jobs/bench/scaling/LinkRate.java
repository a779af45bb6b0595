package io.sparkcae.jobs.bench.scaling;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A link rate as tc spells it ({@code 50mbit}, {@code 1gbit}, {@code 800kbit}) or {@code unlimited}. */
public record LinkRate(String label, double bitsPerSecond) {
    private static final Pattern RATE = Pattern.compile("([1-9][0-9]{0,5}(?:\\.[0-9]{1,3})?)(kbit|mbit|gbit)");
    public static final LinkRate UNLIMITED = new LinkRate("unlimited", Double.POSITIVE_INFINITY);

    public boolean limited() {
        return Double.isFinite(bitsPerSecond);
    }

    /** Bytes per second, infinite when unlimited. */
    public double bytesPerSecond() {
        return bitsPerSecond / 8;
    }

    /** @throws IllegalArgumentException with the accepted spellings when {@code text} is none of them */
    public static LinkRate parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("unlimited")) {
            return UNLIMITED;
        }
        Matcher m = RATE.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("rate '" + text + "': expected unlimited or a number with kbit, mbit"
                    + " or gbit, e.g. 50mbit");
        }
        double scale = switch (m.group(2)) {
            case "kbit" -> 1e3;
            case "mbit" -> 1e6;
            default -> 1e9;
        };
        return new LinkRate(t, Double.parseDouble(m.group(1)) * scale);
    }

    public static List<LinkRate> parseAll(List<String> texts) {
        List<LinkRate> out = new ArrayList<>();
        for (String t : texts) {
            out.add(parse(t));
        }
        return out;
    }

    /** tc's spelling of the rate in bits per second. */
    String tcRate() {
        return String.format(Locale.ROOT, "%.0fbit", bitsPerSecond);
    }

    /** Token bucket depth: 10 ms at the rate (at least 16 kB, above one 1500-byte frame). */
    long burstBytes() {
        return Math.max(16_000, Math.round(bytesPerSecond() * 0.010));
    }
}
