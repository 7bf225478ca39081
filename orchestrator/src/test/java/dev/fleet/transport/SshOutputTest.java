package dev.fleet.transport;

import static org.assertj.core.api.Assertions.assertThat;

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
