package dev.fleet.template;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text a user's regular expression runs over on the controller, bounded: java.util.regex backtracks, and
 * a pattern like {@code (.*a){20}$} on "aaaa…!" would run for years. The engine reads the text through
 * {@link #charAt} at every step, so this wrapper counts the reads and, every few thousand of them, checks its
 * {@link Budget} (steps and wall-clock time), the thread's interrupt flag and, inside a template, the template's
 * own time budget; past any of them it throws {@link TooSlow}, which fails the one task that matched.
 *
 * <p>Every regex the controller matches on a playbook's behalf goes through here: the template filters and
 * tests (through {@link PythonRegex#matcher}) and the modules that match on the controller (lineinfile,
 * blockinfile, replace, wait_for's search_regex, find's patterns, assemble's regexp). A module matching line by
 * line shares one {@link Budget} among its lines ({@link #budget()}), so a file of many lines cannot multiply it.
 */
public final class RegexSubject implements CharSequence {
    /** Most reads of the text by one matcher (or one budget): far above any sane match, about a second of work. */
    public static final long MAX_STEPS = 50_000_000L;
    /** Longest one matcher (or one budget) may run, whatever the steps cost on a busy machine. */
    public static final Duration MAX_TIME = Duration.ofSeconds(5);

    private static final int CHECK_EVERY = 0xfff;

    private final CharSequence text;
    private final String pattern;
    private final Budget budget;
    private int reads;

    private RegexSubject(CharSequence text, String pattern, Budget budget) {
        this.text = text;
        this.pattern = pattern;
        this.budget = budget;
    }

    /** A matcher of {@code pattern} (as the user wrote it, for messages) over {@code text}, bounded. */
    static Matcher matcher(Pattern compiled, String pattern, CharSequence text, Budget budget) {
        return compiled.matcher(new RegexSubject(text, pattern, budget));
    }

    /** A matcher of a pattern compiled from a user's regex over {@code text}, with a budget of its own. */
    public static Matcher matcher(Pattern compiled, CharSequence text) {
        return matcher(compiled, compiled.pattern(), text, budget());
    }

    /** A fresh budget of {@link #MAX_STEPS} and {@link #MAX_TIME}, starting now, for several matches to share. */
    public static Budget budget() {
        return new Budget(MAX_STEPS, MAX_TIME);
    }

    /**
     * Steps and time for one or more matches, starting when it is made. Used by one thread at a time (a module
     * run, a filter call).
     */
    public static final class Budget {
        private final long maxSteps;
        private final Duration maxTime;
        private final long deadline;
        private final FleetInterpreter template = FleetInterpreter.current();
        private long steps;

        Budget(long maxSteps, Duration maxTime) {
            this.maxSteps = maxSteps;
            this.maxTime = maxTime;
            this.deadline = System.nanoTime() + maxTime.toNanos();
        }

        /** A matcher of a pattern compiled from a user's regex over {@code text}, counted against this budget. */
        public Matcher matcher(Pattern compiled, CharSequence text) {
            return RegexSubject.matcher(compiled, compiled.pattern(), text, this);
        }

        private void spend(int reads, String pattern, int textLength) {
            steps += reads;
            String on = " on a text of " + textLength + " characters (catastrophic backtracking?); simplify the "
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
    }

    /** A user's regular expression ran past its budget's steps or time, or its task was stopped. */
    public static final class TooSlow extends RuntimeException {
        TooSlow(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public char charAt(int index) {
        if ((++reads & CHECK_EVERY) == 0) budget.spend(CHECK_EVERY + 1, pattern, text.length());
        return text.charAt(index);
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
