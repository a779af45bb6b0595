package io.sparkcae.prep.dataset;

import java.util.Locale;

/** The three dataset splits, written lower case in the {@code split} column. */
public enum Split {
    TRAIN, VAL, TEST;

    public String columnValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
