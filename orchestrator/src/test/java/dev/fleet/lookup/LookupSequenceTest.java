package dev.fleet.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expected values from ansible-core 2.14, except keyword options, which 2.14 ignores (see SequenceLookup). */
class LookupSequenceTest {
    private static final LookupContext CTX =
            new LookupContext(List.of(), Path.of("."), Map.of(), LookupContext.Renderer.NONE);
    private static final Lookup SEQ = Lookups.find("sequence").orElseThrow();

    private static List<Object> seq(String... terms) throws LookupException {
        return SEQ.run(Arrays.asList((Object[]) terms), Map.of(), CTX);
    }

    @Test
    void keyValueForm() throws Exception {
        assertThat(seq("start=1 end=5 format=host%02d"))
                .containsExactly("host01", "host02", "host03", "host04", "host05");
        assertThat(seq("count=3")).containsExactly("1", "2", "3");
        assertThat(seq("end=3")).containsExactly("1", "2", "3");
        assertThat(seq("start=5 end=5")).containsExactly("5");
        assertThat(seq("start=0 count=0")).isEmpty();
        assertThat(seq("start=10 end=0 stride=-3")).containsExactly("10", "7", "4", "1");
        assertThat(seq("start=0 count=5 stride=2")).containsExactly("0", "2", "4", "6", "8");
        assertThat(seq("start=0x0f00 count=4 format=%04x")).containsExactly("0f00", "0f01", "0f02", "0f03");
    }

    @Test
    void shortcutForm() throws Exception {
        assertThat(seq("4")).containsExactly("1", "2", "3", "4");
        assertThat(seq("0x0f-0x12/2")).containsExactly("15", "17");
        assertThat(seq("2-10/2")).containsExactly("2", "4", "6", "8", "10");
        assertThat(seq("4:host%02d")).containsExactly("host01", "host02", "host03", "host04");
    }

    @Test
    void severalTermsAreConcatenated() throws Exception {
        assertThat(seq("start=1 end=10 stride=3 format=%03x", "2-4:n%d"))
                .containsExactly("001", "004", "007", "00a", "n2", "n3", "n4");
    }

    @Test
    void keywordOptionsAreDefaultsForTheTerms() throws Exception {
        assertThat(SEQ.run(List.of(), Map.of("start", 10, "end", 0, "stride", -3), CTX))
                .containsExactly("10", "7", "4", "1");
        assertThat(SEQ.run(List.of("end=3"), Map.of("format", "n%d"), CTX)).containsExactly("n1", "n2", "n3");
        assertThat(SEQ.run(List.of(), Map.of(), CTX)).isEmpty();
    }

    @Test
    void mistakesAreExplained() {
        assertThatThrownBy(() -> seq("start=1")).hasMessageContaining("must specify count or end");
        assertThatThrownBy(() -> seq("end=3 count=3")).hasMessageContaining("can't specify both count and end");
        assertThatThrownBy(() -> seq("start=5 end=1")).hasMessageContaining("to count backwards make stride negative");
        assertThatThrownBy(() -> seq("start=1 end=5 stride=-1")).hasMessageContaining("to count forward");
        assertThatThrownBy(() -> seq("end=3 format=%d%d")).hasMessageContaining("bad formatting string");
        assertThatThrownBy(() -> seq("end=three")).hasMessageContaining("can't parse end=three as integer");
        assertThatThrownBy(() -> seq("end=3 bogus=1"))
                .hasMessageContaining("unrecognized arguments to with_sequence: [bogus]");
        assertThatThrownBy(() -> seq("end=10000000")).hasMessageContaining("more than");
    }
}
