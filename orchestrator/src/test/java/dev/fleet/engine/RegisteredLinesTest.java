package dev.fleet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code stdout_lines}/{@code stderr_lines} are Python's {@code str.splitlines()}, as Ansible registers them. */
class RegisteredLinesTest {
    @Test
    void splitsAsPythonSplitlines() {
        assertThat(Registered.splitlines("")).isEmpty();
        assertThat(Registered.splitlines("a")).containsExactly("a");
        assertThat(Registered.splitlines("a\nb\n")).containsExactly("a", "b");
        assertThat(Registered.splitlines("a\r\nb\rc\n\nd")).containsExactly("a", "b", "c", "", "d");
        assertThat(Registered.splitlines("\n")).isEqualTo(List.of(""));
    }
}
