package dev.fleet.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnifiedDiffTest {

    @TempDir
    Path tmp;

    @Test
    void equalTextsHaveNoDiff() {
        assertThat(UnifiedDiff.diff("a\nb\n", "a\nb\n", "/f")).isEmpty();
    }

    @Test
    void oneChangedLineWithContext() {
        assertThat(UnifiedDiff.diff("a\nb\nc\n", "a\nB\nc\n", "/etc/x")).isEqualTo("""
                --- before: /etc/x
                +++ after: /etc/x
                @@ -1,3 +1,3 @@
                 a
                -b
                +B
                 c
                """);
    }

    @Test
    void newFileAndMissingFinalNewline() {
        assertThat(UnifiedDiff.diff("", "x\ny\n", "/n")).isEqualTo("--- before: /n\n+++ after: /n\n@@ -0,0 +1,2 @@\n+x\n+y\n");
        assertThat(UnifiedDiff.diff("a\nb", "a\nb\n", "/f")).isEqualTo("""
                --- before: /f
                +++ after: /f
                @@ -1,2 +1,2 @@
                 a
                -b
                \\ No newline at end of file
                +b
                """);
    }

    @Test
    void matchesDiffUForSeparateHunks() throws Exception {
        String before = IntStream.rangeClosed(1, 30).mapToObj(i -> "line " + i + "\n").collect(Collectors.joining());
        String after = before.replace("line 2\n", "line two\n").replace("line 20\n", "")
                .replace("line 27\n", "line 27\nextra\n") + "tail\n";
        assertDiffU(before, after);
        assertDiffU("a\nb\nc\nd\n", "x\na\nc\nd\ny\n");
        assertDiffU("", "only\n");
        assertDiffU("gone\n", "");
    }

    private void assertDiffU(String before, String after) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/diff")), "no /usr/bin/diff");
        Path a = Files.writeString(tmp.resolve("a"), before);
        Path b = Files.writeString(tmp.resolve("b"), after);
        Process p = new ProcessBuilder("/usr/bin/diff", "-u", "--label", "before: f", "--label", "after: f",
                a.toString(), b.toString()).redirectErrorStream(true).start();
        String expected = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(UnifiedDiff.diff(before, after, "f")).isEqualTo(expected);
    }

    @Test
    void bigDifferentFilesAreBoundedAndStillCorrect() {
        String before = IntStream.range(0, 5000).mapToObj(i -> "a" + i + "\n").collect(Collectors.joining());
        String after = IntStream.range(0, 5000).mapToObj(i -> "b" + i + "\n").collect(Collectors.joining());
        long t0 = System.nanoTime();
        String d = UnifiedDiff.diff("keep\n" + before + "end\n", "keep\n" + after + "end\n", "/big");
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(5));
        assertThat(d).startsWith("--- before: /big\n+++ after: /big\n@@ -1,5002 +1,5002 @@\n keep\n-a0\n");
        assertThat(d.lines().filter(l -> l.startsWith("-a")).count()).isEqualTo(5000);
        assertThat(d.lines().filter(l -> l.startsWith("+b")).count()).isEqualTo(5000);
    }
}
