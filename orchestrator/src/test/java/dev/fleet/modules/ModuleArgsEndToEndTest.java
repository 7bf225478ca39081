package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.testing.FleetCli;
import dev.fleet.testing.FleetCli.Run;
import dev.fleet.testing.SshdLab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Argument checking through the whole of fleet run: parse time, run time, and tasks that expect failure. */
class ModuleArgsEndToEndTest {
    @TempDir
    Path dir;

    @RegisterExtension
    static final SshdLab lab = new SshdLab(1);

    Run fleet(String playbookYaml, String... options) throws IOException {
        return new FleetCli(dir, lab.inventory(), lab.knownHosts()).run(playbookYaml.replace("DIR", dir.toString()),
                options);
    }

    @Test
    void aLiteralArgumentErrorStopsTheRunBeforeAnyHostIsTouched() throws IOException {
        Run r = fleet("""
                - hosts: lab
                  gather_facts: false
                  tasks:
                    - command: touch DIR/touched
                    - lineinfile: path=DIR/f line=x state=foo
                """);
        assertThat(r.exit()).as(r.describe()).isEqualTo(4);
        assertThat(r.err()).contains(":5:7").contains("argument 'state' must be one of [absent, present], got 'foo'");
        assertThat(dir.resolve("touched")).doesNotExist();
    }

    @Test
    void templatedValuesAreCheckedWhenRenderedAndFailOnlyThatTask() throws IOException {
        Run r = fleet("""
                - hosts: lab
                  gather_facts: false
                  vars: {d: DIR, s: gone, p: 22}
                  tasks:
                    - shell: |
                        creates={{ d }}/made
                        echo made > {{ d }}/made
                    - wait_for: port={{ p }} host=127.0.0.1 timeout=1
                      ignore_errors: true
                    - lineinfile: path={{ d }}/f line=x state={{ s }} create=yes
                """);
        assertThat(r.exit()).as(r.describe()).isEqualTo(2);
        assertThat(dir.resolve("made")).exists();
        assertThat(r.task("host1", 2).getString("msg"))
                .isEqualTo("argument 'state' must be one of [absent, present], got 'gone'");
    }

    @Test
    void tasksExpectingFailureGetArgumentErrorsAtRunTime() throws IOException {
        Run r = fleet("""
                - hosts: lab
                  gather_facts: false
                  tasks:
                    - block:
                        - copy: {dest: DIR/x, content: hi, bogus: 1}
                      rescue:
                        - command: touch DIR/rescued
                    - lineinfile: path=DIR/f line=x state=foo
                      ignore_errors: true
                    - command: touch DIR/after
                """);
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(Files.exists(dir.resolve("rescued"))).isTrue();
        assertThat(Files.exists(dir.resolve("after"))).isTrue();
        assertThat(r.task("host1", 0).getString("msg")).contains("unsupported argument 'bogus'");
    }

    /**
     * file, replace, slurp, raw and tempfile in one playbook: --check changes nothing, then the statuses of a
     * first and a second run are those ansible-playbook 2.14 gives for the same playbook ({@code -c local}).
     */
    @Test
    void fileReplaceSlurpRawTempfileMatchAnsiblesStatusesAndAreIdempotent() throws IOException {
        Files.writeString(dir.resolve("conf"), "port=80\nhost=a\n");
        String playbook = """
                - hosts: lab
                  gather_facts: false
                  tasks:
                    - file: {path: "DIR/app/conf.d", state: directory, mode: "0750"}
                    - file: {path: "DIR/app/current", src: conf.d, state: link}
                    - file: {path: "DIR/app/stamp", state: touch, mode: "u=rw,g=r,o=",
                             modification_time: preserve, access_time: preserve}
                    - replace: {path: "DIR/conf", regexp: '^port=(80)$', replace: 'port=\\g<1>80'}
                    - slurp: {src: "DIR/conf"}
                      register: s
                    - debug: {msg: "{{ s.content | b64decode }}"}
                    - raw: echo hi
                    - tempfile: {path: "DIR", suffix: .t}
                    - file: {path: "DIR/app/gone", state: absent}
                """;
        Run check = fleet(playbook, "--check");
        assertThat(check.statuses("host1")).as(check.describe()).containsExactly("changed", "failed");
        assertThat(dir.resolve("app")).doesNotExist();

        Run first = fleet(playbook);
        assertThat(first.statuses("host1")).as(first.describe()).containsExactly("changed", "changed", "changed",
                "changed", "ok", "ok", "changed", "changed", "ok");
        assertThat(dir.resolve("conf")).hasContent("port=8080\nhost=a");
        assertThat(first.task("host1", 5).getString("msg")).isEqualTo("port=8080\nhost=a\n");
        assertThat(Files.readSymbolicLink(dir.resolve("app/current"))).isEqualTo(Path.of("conf.d"));
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("app")))).isEqualTo("rwxr-x---");

        Run second = fleet(playbook);
        assertThat(second.statuses("host1")).as(second.describe()).containsExactly("ok", "ok", "ok", "ok", "ok",
                "ok", "changed", "changed", "ok");
    }

    @Test
    void literalArgumentErrorsOfTheNewModulesNameTheArgument() throws IOException {
        Run r = fleet("""
                - hosts: lab
                  gather_facts: false
                  tasks:
                    - file: path=DIR/x state=present
                """);
        assertThat(r.exit()).as(r.describe()).isEqualTo(4);
        assertThat(r.err()).contains("argument 'state' must be one of [absent, directory, file, hard, link, touch]");
        Run t = fleet("""
                - hosts: lab
                  gather_facts: false
                  tasks:
                    - tempfile: {state: fifo}
                """);
        assertThat(t.err()).as(t.describe()).contains("argument 'state' must be one of [directory, file]");
    }
}
