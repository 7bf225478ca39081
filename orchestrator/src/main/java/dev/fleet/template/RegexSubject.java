package dev.fleet.template;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text a user's regular expression runs over on the controller, bounded: java.util.regex backtracks, and
 * a pattern like {@code (a+)+$} on "aaaa…b" would take longer than the age of the universe. The engine reads the
 * text through {@link #charAt} at every step, so this wrapper counts the reads and, every few thousand of them,
 * checks the step budget, the clock, the thread's interrupt flag and, inside a template, the template's own
 * time budget; past any of them it throws {@link TooSlow}, which fails the one task that matched.
 *
 * <p>Every regex the controller matches on a playbook's behalf goes through here: the template filters and
 * tests (through {@link PythonRegex#matcher}) and the modules that match on the controller (lineinfile,
 * blockinfile, replace, wait_for's search_regex, find's patterns) through {@link #matcher(Pattern, CharSequence)}.
 */
public final class RegexSubject implements CharSequence {
    /** Most reads of the text by one matcher: far above any sane match, about a second of work. */
    public static final long MAX_STEPS = 50_000_000L;
    /** Longest one matcher may run, whatever the steps cost on a busy machine. */
    public static final Duration MAX_TIME = Duration.ofSeconds(5);

    private static final int CHECK_EVERY = 0xfff;

    private final CharSequence text;
    private final String pattern;
    private final long maxSteps;
    private final Duration maxTime;
    private final long deadline;
    private final FleetInterpreter template = FleetInterpreter.current();
    private long steps;

    RegexSubject(CharSequence text, String pattern, long maxSteps, Duration maxTime) {
        this.text = text;
        this.pattern = pattern;
        this.maxSteps = maxSteps;
        this.maxTime = maxTime;
        this.deadline = System.nanoTime() + maxTime.toNanos();
    }

    /** A matcher of {@code pattern} (as the user wrote it, for messages) over {@code text}, bounded. */
    static Matcher matcher(Pattern compiled, String pattern, CharSequence text) {
        return compiled.matcher(new RegexSubject(text, pattern, MAX_STEPS, MAX_TIME));
    }

    /** A matcher of a pattern compiled from a user's regex over {@code text}, bounded. */
    public static Matcher matcher(Pattern compiled, CharSequence text) {
        return matcher(compiled, compiled.pattern(), text);
    }

    /** A user's regular expression ran past {@link #MAX_STEPS} or {@link #MAX_TIME}, or its task was stopped. */
    public static final class TooSlow extends RuntimeException {
        TooSlow(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public char charAt(int index) {
        if ((++steps & CHECK_EVERY) == 0) check();
        return text.charAt(index);
    }

    private void check() {
        String on = " on a text of " + text.length() + " characters (catastrophic backtracking?); simplify the "
                + "pattern, e.g. no nested repetition like (a+)+";
        if (steps > maxSteps) {
            throw new TooSlow("regular expression '" + abbreviate(pattern) + "' took more than " + maxSteps
                    + " steps" + on);
        }
        if (System.nanoTime() - deadline > 0) {
            throw new TooSlow("regular expression '" + abbreviate(pattern) + "' took longer than "
                    + maxTime.toMillis() / 1000.0 + "s" + on);
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new TooSlow("regular expression '" + abbreviate(pattern) + "' was stopped: its task was");
        }
        if (template != null) template.checkBudget();
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return text.subSequence(start, end);
    }

    @Override
    public String toString() {
        return text.toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
