package dev.fleet.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskResult;
import dev.fleet.result.TaskStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The doctor's classification of fleet's connection messages, the sudo probe's words, grouping and exit codes. */
class DiagnosisTest {

    @Test
    void eachStageOfAConnectionHasItsFinding() {
        assertThat(Diagnosis.classify("cannot resolve web9.example (host web9); check ansible_host in the inventory"))
                .isEqualTo(Finding.RESOLVE);
        assertThat(Diagnosis.classify("no route to 10.1.2.3:22 (web9)")).isEqualTo(Finding.NO_ROUTE);
        assertThat(Diagnosis.classify("connect to 10.1.2.3:22 (web9) timed out after 10s"))
                .isEqualTo(Finding.CONNECT_TIMEOUT);
        assertThat(Diagnosis.classify("no SSH banner from 10.1.2.3:80 (web9) within 10s: the port accepts ..."))
                .isEqualTo(Finding.NO_BANNER);
        assertThat(Diagnosis.classify("10.1.2.3:22 (web9) closed the connection before sending an SSH banner (EOF)"))
                .isEqualTo(Finding.NO_BANNER);
        assertThat(Diagnosis.classify("SSH handshake with 10.1.2.3:22 (web9, OpenSSH_9.2) failed: no common kex"))
                .isEqualTo(Finding.HANDSHAKE);
        assertThat(Diagnosis.classify("cannot log in as a@b:22 (web9): no usable private key to offer"))
                .isEqualTo(Finding.NO_KEY);
        assertThat(Diagnosis.classify("something else entirely")).isEqualTo(Finding.OTHER);
    }

    @Test
    void theSudoProbeTellsPasswordlessSudoFromAPasswordAndFromNone() {
        assertThat(diagnose("deploy\nsudo-password").finding()).isEqualTo(Finding.SUDO_PASSWORD);
        assertThat(diagnose("deploy\nsudo-password").fix()).contains("give deploy passwordless sudo");
        assertThat(diagnose("deploy\nno-sudo").finding()).isEqualTo(Finding.NO_SUDO);
        assertThat(diagnose("deploy\nsudo-ok").finding()).isEqualTo(Finding.OK);
        assertThat(diagnose("root\nroot").message()).isEqualTo("logged in as root (root)");
    }

    @Test
    void sameFaultOnManyHostsIsOneGroupAndSudoAloneExitsTwo() {
        List<Diagnosis> ds = List.of(
                failed("web1", "connect to 10.0.0.1:22 (web1) refused: nothing listens there; is sshd running"),
                failed("web2", "connect to 10.0.0.2:2222 (web2) refused: nothing listens there; is sshd running"),
                diagnose("deploy\nsudo-ok"));
        DoctorReport report = new DoctorReport(ds);
        assertThat(report.groups()).hasSize(2);
        assertThat(report.groups().get(0).hosts()).containsExactly("web1", "web2");
        assertThat(report.exitCode()).isEqualTo(3);
        StringWriter out = new StringWriter();
        report.print(new PrintWriter(out));
        assertThat(out.toString()).contains("XX nothing listens on the SSH port (2 hosts): web1, web2");
        assertThat(new DoctorReport(List.of(diagnose("deploy\nsudo-password"))).exitCode()).isEqualTo(2);
        assertThat(new DoctorReport(List.of(diagnose("deploy\nsudo-ok"))).exitCode()).isZero();
    }

    private static Diagnosis diagnose(String sudoOutput) {
        TaskResult login = result("h", TaskOutcome.ok("pong"));
        TaskResult sudo = result("h", new TaskOutcome(TaskStatus.OK, 0, sudoOutput, "", "", Map.of()));
        return Diagnosis.of(login, sudo, null);
    }

    private static Diagnosis failed(String host, String msg) {
        return Diagnosis.of(result(host, TaskOutcome.unreachable(msg)), null, null);
    }

    private static TaskResult result(String host, TaskOutcome o) {
        return new TaskResult(host, "fleet doctor", "login", "ping", "doctor:1:1", o, false, Instant.EPOCH,
                Instant.EPOCH);
    }
}
