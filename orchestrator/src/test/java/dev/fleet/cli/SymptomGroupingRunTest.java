package dev.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.testing.FleetCli;
import dev.fleet.testing.FleetCli.Run;
import dev.fleet.testing.SshdLab;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same fault on many hosts is one symptom: a command that hangs past its timeout is killed on every host, and
 * each host's message names its own process group (a different number everywhere), its own address and port.
 * The run's report must still show one group with every host in it, not one group per host.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SymptomGroupingRunTest {
    @TempDir
    Path dir;

    @RegisterExtension
    static final SshdLab lab = new SshdLab(6);

    @Test
    void frozenCommandsOnSixHostsMakeOneSymptomGroup() throws Exception {
        Run r = new FleetCli(dir, lab.inventory(), lab.knownHosts()).run("""
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: hangs
                      command: sleep 60
                      timeout: 2
                """);
        assertThat(r.exit()).as(r.describe()).isEqualTo(2);
        JsonArray symptoms = r.report().getJsonArray("symptoms");
        assertThat(symptoms).as(symptoms.encodePrettily()).hasSize(1);
        JsonObject group = symptoms.getJsonObject(0);
        assertThat(group.getInteger("count")).isEqualTo(6);
        assertThat(group.getString("message")).contains("<pid>").doesNotContainPattern("group \\d");
        // the hosts really did report different process groups
        assertThat(lab.hosts().stream().map(h -> r.task(h.name(), 0).getString("msg")).distinct().count())
                .isEqualTo(6);
    }
}
