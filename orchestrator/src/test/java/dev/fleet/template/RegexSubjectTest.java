package dev.fleet.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12: a user's regex that backtracks catastrophically ends with a clear error instead of running for ever.
 * Each catastrophic case would run for years without the bound: the class timeout fails it then.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RegexSubjectTest {
    /** JDK 9+ defuses the textbook (a+)+$; nested wildcards in a counted group still explode. */
    private static final Pattern NESTED = Pattern.compile("(.*a){20}$");
    private static final String EVIL = "a".repeat(60) + "!";

    @Test
    void catastrophicBacktrackingStopsOnTheStepBudget() {
        Matcher m = RegexSubject.matcher(NESTED, EVIL);
        assertThatThrownBy(m::find).isInstanceOf(RegexSubject.TooSlow.class)
                .hasMessage("regular expression '(.*a){20}$' took more than " + RegexSubject.MAX_STEPS + " steps on a "
                        + "text of 61 characters (catastrophic backtracking?); simplify the pattern, e.g. no nested "
                        + "repetition like (a+)+");
    }

    @Test
    void catastrophicBacktrackingStopsOnTheClock() {
        Matcher m = new RegexSubject.Budget(Long.MAX_VALUE, Duration.ofMillis(200)).matcher(NESTED, EVIL);
        assertThatThrownBy(m::find).isInstanceOf(RegexSubject.TooSlow.class)
                .hasMessageStartingWith("regular expression '(.*a){20}$' took longer than 0.2s on a text of 61 "
                        + "characters");
    }

    @Test
    void anInterruptedTaskStopsItsRegex() {
        Matcher m = new RegexSubject.Budget(Long.MAX_VALUE, Duration.ofDays(1)).matcher(NESTED, EVIL);
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(m::find).isInstanceOf(RegexSubject.TooSlow.class).hasMessageContaining("stopped");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void matchesSharingABudgetShareItsSteps() {
        // Each line alone is well under the budget; 100 of them on one budget are not. Line by line with a
        // budget each, a 4 MiB file of such lines would take hours.
        Pattern slowish = Pattern.compile("(.*a){2}$");
        String line = "a".repeat(200) + "!"; // about 4 million steps
        assertThat(RegexSubject.matcher(slowish, line).find()).isFalse();
        RegexSubject.Budget budget = RegexSubject.budget();
        assertThatThrownBy(() -> {
            for (int i = 0; i < 100; i++) budget.matcher(slowish, line).find();
        }).isInstanceOf(RegexSubject.TooSlow.class)
                .hasMessageContaining("took more than " + RegexSubject.MAX_STEPS + " steps");
    }

    @Test
    void ordinaryMatchesAreUntouched() {
        Matcher m = RegexSubject.matcher(Pattern.compile("(?<k>\\w+)=(\\d+)"), "x port=8080 y");
        assertThat(m.find()).isTrue();
        assertThat(m.group("k")).isEqualTo("port");
        assertThat(m.group(2)).isEqualTo("8080");
        // a long text with a linear pattern reads each character a few times: far under the budget
        assertThat(RegexSubject.matcher(Pattern.compile("b$"), "a".repeat(5_000_000) + "b").find()).isTrue();
    }
}
