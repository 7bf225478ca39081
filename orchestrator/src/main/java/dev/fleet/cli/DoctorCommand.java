package dev.fleet.cli;

import dev.fleet.config.AnsibleConfig;
import dev.fleet.config.ConfigException;
import dev.fleet.doctor.Diagnosis;
import dev.fleet.doctor.DoctorReport;
import dev.fleet.engine.ExitCodes;
import dev.fleet.engine.RunOptions;
import dev.fleet.engine.RunSetup;
import dev.fleet.inventory.Inventory;
import dev.fleet.playbook.Playbook;
import dev.fleet.result.RunEvent;
import dev.fleet.result.TaskResult;
import dev.fleet.vault.VaultException;
import dev.fleet.yaml.ParseException;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code fleet doctor}: for every host, in parallel, the first thing that stands between fleet and a working login,
 * grouped, with the fix. It runs two probe tasks (a login, then a check whether sudo works without a password)
 * through the same run set-up and transport as {@code fleet run}, with the same inventory and connection options,
 * so what the doctor sees is what a run would see.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Checks that fleet can log in to every host (name, TCP, SSH, host key, user and key, sudo) "
                + "and says what to fix.")
final class DoctorCommand implements Callable<Integer> {
    /** The probes, as a playbook: the login itself, then sudo (reported, never needed for the login). */
    static final String PROBES = """
            - name: fleet doctor
              hosts: all
              gather_facts: false
              tasks:
                - name: login
                  ping:
                - name: sudo
                  shell: 'id -un; %s'
                  changed_when: false
            """.formatted(Diagnosis.sudoProbe().replace("'", "''"));

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    ConnectionOptions conn;

    @picocli.CommandLine.Mixin
    VaultOptions vaultOptions;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RunSetup setup = new RunSetup();
        Inventory inv;
        Playbook probes;
        try {
            conn.resolve(AnsibleConfig.load(System.getenv(), Path.of("").toAbsolutePath()));
            inv = InventorySource.load(conn.inventory, vaultOptions.vault(s -> { }));
            probes = parseProbes(setup);
        } catch (IllegalArgumentException | ConfigException | InventorySource.MissingInventory | VaultException e) {
            err.println("fleet: " + e.getMessage());
            return ExitCodes.BAD_OPTIONS;
        } catch (ParseException e) {
            err.println("fleet: ERROR: " + e.getMessage());
            return ExitCodes.PARSE_ERROR;
        }
        if (conn.limit != null && inv.select(conn.limit).isEmpty()) {
            err.println("fleet: --limit '" + conn.limit + "' matches no hosts");
            return ExitCodes.BAD_OPTIONS;
        }
        Duration probeTimeout = Duration.ofSeconds(30);
        RunOptions options = new RunOptions(conn.forks, conn.limit, conn.user, conn.privateKey, conn.connect,
                probeTimeout, Map.of(), false, false, Set.of(), Set.of(), null, null, null, 0);
        Map<String, TaskResult> logins = new ConcurrentHashMap<>();
        Map<String, TaskResult> sudos = new ConcurrentHashMap<>();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(4));
        try {
            setup.start(vertx, conn.sshSettings(probeTimeout), probes, inv, options, List.of(event -> {
                if (event instanceof RunEvent.HostTaskFinished f) {
                    (f.result().task().equals("login") ? logins : sudos).put(f.result().host(), f.result());
                }
            })).outcome().join();
        } finally {
            vertx.close();
        }
        String key = conn.privateKey != null ? conn.privateKey.toString() : "~/.ssh/id_ed25519";
        List<Diagnosis> diagnoses = new ArrayList<>();
        logins.forEach((host, login) -> diagnoses.add(Diagnosis.of(login, sudos.get(host), key)));
        DoctorReport report = new DoctorReport(diagnoses);
        report.print(out);
        return report.exitCode();
    }

    private static Playbook parseProbes(RunSetup setup) throws ParseException {
        Path file = null;
        try {
            file = Files.createTempFile("fleet-doctor-", ".yml");
            Files.writeString(file, PROBES);
            return setup.parse(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write the doctor's probe playbook to a temp file: " + e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a small temp file left behind
                }
            }
        }
    }
}
