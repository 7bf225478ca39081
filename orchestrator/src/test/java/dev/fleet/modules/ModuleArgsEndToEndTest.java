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

    Run fleet(String playbookYaml) throws IOException {
        return new FleetCli(dir, lab.inventory(), lab.knownHosts()).run(playbookYaml.replace("DIR", dir.toString()));
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
}
