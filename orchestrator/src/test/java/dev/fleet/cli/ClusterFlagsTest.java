package dev.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.engine.ExitCodes;
import dev.fleet.testing.FleetCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code fleet run --cluster} names each connection option it ignores, and what the workers do instead. */
class ClusterFlagsTest {
    @TempDir
    Path dir;

    private static CommandLine.ParseResult parse(String... args) {
        return new CommandLine(new RunCommand()).parseArgs(args);
    }

    @Test
    void eachIgnoredConnectionOptionGivenIsNamedWithTheWorkerKeyThatDoesItsJob() {
        var warnings = ClusterFlags.warnings(parse("--cluster", "c.yml", "-u", "deploy", "--key-file", "k",
                "--known-hosts", "kh", "--host-key-checking", "off", "--connect-retries", "0", "-f", "9", "pb.yml"));
        assertThat(warnings).hasSize(5);
        assertThat(warnings.get(0)).startsWith("-u/--user is ignored with --cluster").contains("worker.user");
        assertThat(warnings.get(1)).startsWith("--private-key/--key-file is ignored").contains("worker.private_key");
        assertThat(warnings.get(2)).startsWith("--known-hosts is ignored").contains("worker.known_hosts");
        assertThat(warnings.get(3)).startsWith("--host-key-checking is ignored").contains("strictly");
        assertThat(warnings.get(4)).startsWith("--connect-retries is ignored");
        // the coordinator's forks bound its in-flight host-tasks: used, so not named
        assertThat(ClusterFlags.warnings(parse("--cluster", "c.yml", "-f", "9", "pb.yml"))).isEmpty();
    }

    @Test
    void askBecomePassIsRefusedBeforeItAsks() throws Exception {
        StringWriter err = new StringWriter();
        int exit = ClusterFlags.check(parse("--cluster", "c.yml", "-K", "pb.yml"), new PrintWriter(err));
        assertThat(exit).isEqualTo(ExitCodes.BAD_OPTIONS);
        assertThat(err.toString()).contains("-K/--ask-become-pass cannot be used with --cluster")
                .contains("FLEET_BECOME_PASS in each worker's environment");
        // through the command: refused before the playbook is even read
        Files.writeString(dir.resolve("pb.yml"), "- hosts: all\n  tasks: []\n");
        FleetCli.Run run = FleetCli.fleet("run", "-i", "h1,", "--cluster", dir.resolve("none.yml").toString(),
                "-K", "--user", "x", dir.resolve("pb.yml").toString());
        assertThat(run.exit()).isEqualTo(ExitCodes.BAD_OPTIONS);
        assertThat(run.err()).contains("cannot be used with --cluster");
    }

    @Test
    void warningsComeOncePerOptionOnAClusteredRun() throws Exception {
        Files.writeString(dir.resolve("pb.yml"), "- hosts: all\n  tasks: []\n");
        FleetCli.Run run = FleetCli.fleet("run", "-i", "h1,", "--no-history", "--cluster",
                dir.resolve("none.yml").toString(), "--user", "x", "--private-key", "k",
                dir.resolve("pb.yml").toString());
        // the missing cluster config stops the run after the warnings (exit 5)
        assertThat(run.exit()).isEqualTo(ExitCodes.BAD_OPTIONS);
        assertThat(run.err()).containsOnlyOnce("-u/--user is ignored").containsOnlyOnce("--private-key/--key-file is "
                + "ignored").contains("cluster config file not found");
    }

    @Test
    void ansibleCfgConnectionSettingsAreNamedUnlessAnOptionOverrodeThem() throws Exception {
        Path cfg = dir.resolve("ansible.cfg");
        Files.writeString(cfg, "[defaults]\nremote_user = deploy\nprivate_key_file = ~/.ssh/deploy\n");
        var config = dev.fleet.config.AnsibleConfig.load(java.util.Map.of("ANSIBLE_CONFIG", cfg.toString()), dir);
        var warnings = ClusterFlags.configWarnings(config, parse("--cluster", "c.yml", "pb.yml"));
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(0)).startsWith(cfg + ": remote_user is ignored with --cluster").contains("worker.user");
        assertThat(warnings.get(1)).contains("private_key_file is ignored").contains("worker.private_key");
        assertThat(ClusterFlags.configWarnings(config, parse("--cluster", "c.yml", "-u", "x", "pb.yml")))
                .hasSize(1);
    }
}
