package dev.fleet.result;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactorTest {
    @Test
    void masksEveryOccurrenceLongestFirstAndLeavesShortValues() {
        Redactor r = new Redactor();
        r.add("abc"); // too short to mask without garbling output
        r.add("s3kr1t");
        r.add("s3kr1t-and-more");
        assertThat(r.redact("x s3kr1t-and-more y s3kr1t z abc")).isEqualTo("x ******** y ******** z abc");
        assertThat(r.redact((String) null)).isNull();
        assertThat(r.toString()).doesNotContain("s3kr1t");
    }

    @Test
    void multiLineSecretsAreMaskedLineByLineToo() {
        Redactor r = new Redactor();
        r.add("-----BEGIN KEY-----\nAAAAB3NzaC1yc2E\n-----END KEY-----\n");
        assertThat(r.redact("line: AAAAB3NzaC1yc2E")).isEqualTo("line: ********");
    }

    @Test
    void redactsEveryTextFieldOfAResultAndTheSinkSeesOnlyThat() throws Exception {
        Redactor r = new Redactor();
        r.add("hunter22");
        Instant t = Instant.EPOCH;
        TaskOutcome o = new TaskOutcome(TaskStatus.FAILED, 1, "out hunter22", "err hunter22", "msg hunter22",
                Map.of("cmd", List.of("echo", "hunter22"), "nested", Map.of("k", "hunter22"), "n", 3));
        TaskResult res = new TaskResult("web1", "play", "task hunter22", "command", "pb.yml:1:1", o, false, t, t);
        List<RunEvent> seen = new ArrayList<>();
        RunSink sink = r.wrap(seen::add);
        sink.accept(new RunEvent.HostTaskFinished(res, t));
        sink.accept(new RunEvent.PlayFinished("play", "stopped: hunter22", t));
        assertThat(seen.toString()).doesNotContain("hunter22").contains("********");
        TaskOutcome got = ((RunEvent.HostTaskFinished) seen.get(0)).result().outcome();
        assertThat(got.data()).isEqualTo(Map.of("cmd", List.of("echo", "********"), "nested",
                Map.of("k", "********"), "n", 3));
        assertThat(got.rc()).isEqualTo(1);
    }
}
