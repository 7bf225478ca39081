package dev.fleet.history;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Run ids: short, unique and time-sortable, e.g. {@code 20261125-130501-k3x9q2} (UTC start time, then six random
 * base-36 characters). Any unique prefix names a run on the command line.
 */
public final class RunIds {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);
    private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    private RunIds() {}

    public static String next() {
        return next(Instant.now());
    }

    public static String next(Instant at) {
        StringBuilder id = new StringBuilder(22).append(STAMP.format(at)).append('-');
        for (int i = 0; i < 6; i++) id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        return id.toString();
    }
}
