package dev.fleet.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The pieces of SshHostSession that need no server: output tail buffer and PID marker filter. */
class SshOutputTest {

    @Test
    void tailKeepsEverythingBelowTheCap() {
        OutputTail t = new OutputTail(16);
        write(t, "hello ");
        write(t, "wörld");
        assertThat(t.truncated()).isFalse();
        assertThat(t.text("stdout")).isEqualTo("hello wörld");
    }

    @Test
    void tailKeepsTheLastBytesAcrossManyWrites() {
        OutputTail t = new OutputTail(10);
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            String s = Integer.toString(i);
            all.append(s);
            write(t, s);
        }
        assertThat(t.total()).isEqualTo(all.length());
        assertThat(t.text("stderr")).isEqualTo("[fleet: stderr truncated: the first " + (all.length() - 10) + " of "
                + all.length() + " bytes were dropped, showing the last 10]\n" + all.substring(all.length() - 10));
    }

    @Test
    void tailHandlesChunksLargerThanTheCap() {
        OutputTail t = new OutputTail(4);
        write(t, "ab");
        write(t, "0123456789");
        write(t, "xy");
        assertThat(t.text("stdout")).endsWith("\n89xy");
    }

    @Test
    void markerIsRemovedAndItsPidRemembered() {
        OutputTail t = new OutputTail(1024);
        PidMarker m = new PidMarker("abc", t);
        write(m, "noise from .bashrc\nfleet-pid-a");
        assertThat(m.pid()).isEqualTo(-1);
        write(m, "bc:4242\nreal error\n");
        m.finish();
        assertThat(m.pid()).isEqualTo(4242);
        assertThat(t.text("stderr")).isEqualTo("noise from .bashrc\nreal error\n");
    }

    @Test
    void withoutMarkerEverythingIsPassedThrough() {
        OutputTail t = new OutputTail(1024);
        PidMarker m = new PidMarker("abc", t);
        write(m, "x fleet-pid-abc:12\nfleet-pid-other:13\n");
        m.finish();
        assertThat(m.pid()).isEqualTo(-1);
        assertThat(t.text("stderr")).isEqualTo("x fleet-pid-abc:12\nfleet-pid-other:13\n");
    }

    @Test
    void markerSearchGivesUpAfterTheFirstBytes() {
        OutputTail t = new OutputTail(1 << 20);
        PidMarker m = new PidMarker("abc", t);
        String big = "e".repeat(70 * 1024);
        write(m, big);
        write(m, "\nfleet-pid-abc:7\n");
        m.finish();
        assertThat(m.pid()).isEqualTo(-1);
        assertThat(t.text("stderr")).isEqualTo(big + "\nfleet-pid-abc:7\n");
    }

    @Test
    void theResultCountsWhatEachStreamDropped() {
        OutputTail out = new OutputTail(4);
        OutputTail err = new OutputTail(4);
        write(out, "0123456789");
        write(err, "ok");
        CommandResult r = OutputTail.result(3, out, err, java.time.Instant.EPOCH);
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stdoutDropped()).isEqualTo(6);
        assertThat(r.stderrDropped()).isZero();
        assertThat(r.stdout()).endsWith("]\n6789");
        assertThat(r.stderr()).isEqualTo("ok");
    }

    @Test
    void theControllerAsAHostKeepsTheSameCappedTail() throws Exception {
        // delegate_to: localhost; before, all output was buffered whole
        CommandResult r = new LocalSession("localhost").exec("head -c 20000000 /dev/zero | tr '\\0' a; "
                + "echo done >&2; exit 4", null, java.time.Duration.ofSeconds(60));
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.stdoutDropped()).isEqualTo(20_000_000L - SshTransport.DEFAULT_OUTPUT_CAP);
        assertThat(r.stdout().length()).isLessThan(SshTransport.DEFAULT_OUTPUT_CAP + 200);
        assertThat(r.stderr()).isEqualTo("done\n");
    }

    @Test
    void theOutputCapCanBeSetInMib() {
        assertThat(SshTransport.outputCap(null)).isEqualTo(SshTransport.DEFAULT_OUTPUT_CAP).isEqualTo(8 << 20);
        assertThat(SshTransport.outputCap(" 32 ")).isEqualTo(32 << 20);
        for (String bad : new String[] {"0", "513", "8M", "-1", "1.5"}) {
            assertThatThrownBy(() -> SshTransport.outputCap(bad)).as(bad)
                    .hasMessageContaining("FLEET_OUTPUT_CAP_MIB must be a whole number of MiB from 1 to 512");
        }
    }

    @Test
    void exitCodesForSignalsFollowTheShell() {
        assertThat(SshHostSession.exitCodeForSignal(net.schmizz.sshj.connection.channel.direct.Signal.KILL))
                .isEqualTo(137);
        assertThat(SshHostSession.exitCodeForSignal(null)).isEqualTo(255);
    }

    private static void write(OutputSink sink, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        sink.write(b, 0, b.length);
    }
}
