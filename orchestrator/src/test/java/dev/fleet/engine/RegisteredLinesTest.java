package dev.fleet.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        assertThat(Registered.splitlines("a\u2028b\u0085c\r")).containsExactly("a", "b", "c");
        assertThatThrownBy(() -> Registered.splitlines("a").get(1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    /**
     * A registered result of the largest output fleet keeps (8 MiB of "y\n": 4 million lines) costs little more
     * than the output itself until its lines are read: a String per line held at once was over 200 MB.
     */
    @Test
    void manyShortLinesAreNotHeldAsStrings() {
        String out = "y\n".repeat(4 << 20);
        var memory = java.lang.management.ManagementFactory.getMemoryMXBean();
        System.gc();
        long before = memory.getHeapMemoryUsage().getUsed();
        List<String> lines = Registered.splitlines(out);
        assertThat(lines).hasSize(4 << 20);
        assertThat(lines.get(4_000_000)).isEqualTo("y");
        System.gc();
        long held = memory.getHeapMemoryUsage().getUsed() - before;
        assertThat(lines.size()).isPositive(); // keeps the list reachable through the measurement
        assertThat(held).as("bytes held by the lines").isLessThan(64L << 20);
    }

    @Test
    void templatesReadTheLinesAsAList() throws Exception {
        var r = java.util.Map.<String, Object>of("r",
                java.util.Map.of("stdout_lines", Registered.splitlines("a\nb\nc")));
        assertThat(new dev.fleet.template.JinjaTemplater().render("{{ r.stdout_lines | first }} "
                + "{{ r.stdout_lines[1] }} {{ r.stdout_lines | join(',') }} "
                + "{% for l in r.stdout_lines %}{{ l }}{% endfor %} "
                + "{{ r.stdout_lines + ['z'] }} {{ 'b' in r.stdout_lines }} {{ r.stdout_lines | length }}", r))
                .isEqualTo("a b a,b,c abc ['a', 'b', 'c', 'z'] True 3");
        assertThat(new dev.fleet.template.JinjaTemplater().render("{{ r.stdout_lines }}", r))
                .isEqualTo(List.of("a", "b", "c"));
    }
}
