package dev.fleet.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pipe and lines, with echo, printf and cat only; expected values from ansible-core 2.14. */
class LookupCommandsTest {
    @TempDir
    Path pb;

    private List<Object> run(String name, Object... terms) throws LookupException {
        LookupContext ctx = new LookupContext(List.of(pb), pb, Map.of(), LookupContext.Renderer.NONE);
        return Lookups.find(name).orElseThrow().run(Arrays.asList(terms), Map.of(), ctx);
    }

    @Test
    void pipeGivesStdoutWithoutTrailingWhitespace() throws Exception {
        assertThat(run("pipe", "echo hi; echo there")).containsExactly("hi\nthere");
        assertThat(run("pipe", "echo a", "echo b")).containsExactly("a", "b");
        assertThat(run("pipe", "printf '  x  \\n\\n'")).containsExactly("  x");
    }

    @Test
    void aCommandWritingMoreThanTheLimitFailsAndIsStopped() {
        // 100 MB that would otherwise be held whole (and endless output would never end): stopped at 16 MiB.
        assertThatThrownBy(() -> run("pipe", "head -c 100000000 /dev/zero")).isInstanceOf(LookupException.class)
                .hasMessageContaining("wrote more than 16 MiB to stdout");
        assertThatThrownBy(() -> run("lines", "yes")).isInstanceOf(LookupException.class)
                .hasMessageContaining("wrote more than 16 MiB to stdout");
    }

    @Test
    void linesGivesOneItemPerLine() throws Exception {
        assertThat(run("lines", "printf 'a\\nb\\n'")).containsExactly("a", "b");
        assertThat(run("lines", "printf 'a\\r\\nb'", "printf ''")).containsExactly("a", "b");
        assertThat(run("lines", "printf 'a\\n\\nb\\n'")).containsExactly("a", "", "b");
    }

    @Test
    void commandsRunInThePlaybookDirectory() throws Exception {
        Files.writeString(pb.resolve("list.txt"), "one\ntwo\n");
        assertThat(run("lines", "cat list.txt")).containsExactly("one", "two");
        assertThat(run("pipe", "cat list.txt")).containsExactly("one\ntwo");
    }

    @Test
    void aFailingCommandFailsTheLookup() {
        assertThatThrownBy(() -> run("pipe", "cat no-such-file")).isInstanceOf(LookupException.class)
                .hasMessageContaining("lookup_plugin.pipe(cat no-such-file) returned 1")
                .hasMessageContaining("no-such-file");
        assertThatThrownBy(() -> run("lines", "printf x; exit 3")).hasMessageContaining("returned 3");
    }
}
