package dev.fleet.cluster;

import static dev.fleet.testing.WorkerCluster.readLog;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fleet.testing.FleetCli;
import dev.fleet.testing.SshdLab;
import dev.fleet.testing.WorkerCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a clustered run ships beyond the playbook's directory, over real sshd hosts: a vars file and an inventory
 * value encrypted with {@code fleet vault} (vault id {@code prod}), and a role found through
 * {@code ANSIBLE_ROLES_PATH} outside the playbook's directory. Two worker JVMs: worker-1 has the {@code prod}
 * password in its config, worker-2 has none and must refuse the run with a message naming the id and the key.
 * The coordinator is a JVM of its own too, so that it gets its own {@code ANSIBLE_ROLES_PATH}.
 */
class ClusterShippingTest {
    static final String SUBNET = "127.0.238.";
    static final String SECRET_DB = "s3cret-db-7731";
    static final String SECRET_TOKEN = "tok-98765-api";

    @RegisterExtension
    static final SshdLab lab = new SshdLab(3);

    @TempDir
    static Path dir;

    static WorkerCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(WorkerCluster.opensslInstalled(), "openssl not installed");
        cluster = WorkerCluster.create(dir, SUBNET, "fleet-test", 3, lab.knownHosts(),
                Map.of("worker-1", 2, "worker-2", 3));
        Files.writeString(dir.resolve("prod.pw"), "prod-password\n");
        cluster.start("worker-1", "  vault_ids: [{id: prod, file: prod.pw}]\n");
        cluster.start("worker-2", "");
        cluster.awaitReady("worker-1");
        cluster.awaitReady("worker-2");
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) cluster.close();
    }

    @Test
    void vaultedVarsAndInventoryAndARoleFromTheRolesPathRunOnTheWorkerThatHasTheSecret() throws Exception {
        Path project = dir.resolve("project");
        Files.createDirectories(project);
        Files.writeString(project.resolve("secrets.yml"), "db_password: " + SECRET_DB + "\n");
        vault("encrypt", "--vault-id", "prod@" + dir.resolve("prod.pw"), project.resolve("secrets.yml").toString());
        assertThat(Files.readString(project.resolve("secrets.yml"))).startsWith("$ANSIBLE_VAULT;1.2;AES256;prod")
                .doesNotContain(SECRET_DB);
        String token = vault("encrypt_string", "--vault-id", "prod@" + dir.resolve("prod.pw"), "--name", "api_token",
                SECRET_TOKEN);
        StringBuilder extraInventory = new StringBuilder("all:\n  hosts:\n    host1:\n");
        token.lines().forEach(l -> extraInventory.append("      ").append(l).append('\n'));
        Files.writeString(dir.resolve("secrets-inventory.yml"), extraInventory);

        Path roles = dir.resolve("shared-roles");
        Files.createDirectories(roles.resolve("greeter/tasks"));
        Files.createDirectories(roles.resolve("greeter/defaults"));
        Files.writeString(roles.resolve("greeter/defaults/main.yml"), "greeting: hello\n");
        Files.writeString(roles.resolve("greeter/tasks/main.yml"), """
                - name: greet
                  command: echo "{{ greeting }} from the shared role"
                """);
        Path playbook = project.resolve("site.yml");
        Files.writeString(playbook, """
                - hosts: lab
                  gather_facts: false
                  vars_files: [secrets.yml]
                  roles: [greeter]
                  tasks:
                    - name: vaulted vars file
                      command: test "{{ db_password }}" = "%s"
                    - name: vaulted inventory value
                      command: test "{{ api_token }}" = "%s"
                      when: inventory_hostname == 'host1'
                """.formatted(SECRET_DB, SECRET_TOKEN));

        Coordinator run = coordinator(playbook, "-i", dir.resolve("secrets-inventory.yml").toString(),
                "--vault-id", "prod@" + dir.resolve("prod.pw"));

        System.out.println("coordinator's stderr:\n" + run.err + "took " + run.took.toMillis() + " ms");
        assertThat(run.exit).as(run.err + run.out + logs()).isEqualTo(0);
        JsonObject hosts = run.report.getJsonObject("hosts");
        assertThat(hosts.fieldNames()).containsExactlyInAnyOrder("host1", "host2", "host3");
        for (String h : hosts.fieldNames()) {
            JsonArray tasks = hosts.getJsonObject(h).getJsonArray("tasks");
            assertThat(tasks.getJsonObject(0).getString("stdout")).as(h).isEqualTo("hello from the shared role");
            assertThat(tasks.stream().map(t -> ((JsonObject) t).getString("status")).toList()).as(h)
                    .containsExactly("changed", "changed", h.equals("host1") ? "changed" : "skipped");
        }
        // worker-2 has no secret for 'prod': it refused, saying what to set, and the run went on without it
        assertThat(run.err).contains("worker-2 cannot open the run: the run needs vault id 'prod'")
                .contains("add {id: prod, file: FILE} to worker.vault_ids in " + dir.resolve("worker-2.yml"));
        assertThat(readLog(cluster.log("worker-1"))).contains("vault ids prod: ready").contains("opened site.yml");
        assertThat(readLog(cluster.log("worker-2"))).doesNotContain("opened");
        // the --known-hosts FleetCli-style option would be ignored: the coordinator names it
        assertThat(run.err).contains("--known-hosts is ignored with --cluster").contains("worker.known_hosts");
        for (String log : List.of(run.out, run.err, readLog(cluster.log("worker-1")),
                readLog(cluster.log("worker-2")), run.report.encode())) {
            assertThat(log).doesNotContain(SECRET_DB).doesNotContain(SECRET_TOKEN).doesNotContain("prod-password");
        }
    }

    /** {@code fleet vault ARGS} in this JVM; its standard output. */
    private static String vault(String... args) {
        List<String> all = new ArrayList<>(List.of("vault"));
        all.addAll(List.of(args));
        FleetCli.Run r = FleetCli.fleet(all.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isEqualTo(0);
        return r.out();
    }

    record Coordinator(int exit, String out, String err, JsonObject report, Duration took) {}

    /** {@code fleet run --cluster} in a JVM of its own, with the shared roles directory as ANSIBLE_ROLES_PATH. */
    private static Coordinator coordinator(Path playbook, String... options) throws Exception {
        Path report = dir.resolve("report-" + System.nanoTime() + ".json");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "dev.fleet.cli.Main", "run", "-i",
                lab.inventory().toString(), "--known-hosts", lab.knownHosts().toString(), "--json", report.toString(),
                "--no-color", "--no-history", "--cluster", cluster.coordinatorConfig().toString()));
        cmd.addAll(List.of(options));
        cmd.add(playbook.toString());
        Path out = dir.resolve("coordinator.out");
        Path err = dir.resolve("coordinator.err");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().put("ANSIBLE_ROLES_PATH", dir.resolve("shared-roles").toString());
        pb.environment().remove("ANSIBLE_CONFIG");
        long started = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the coordinator did not finish in 180 s:\n" + Files.readString(err) + logs());
        }
        return new Coordinator(p.exitValue(), Files.readString(out), Files.readString(err),
                Files.exists(report) ? new JsonObject(Files.readString(report)) : new JsonObject(),
                Duration.ofNanos(System.nanoTime() - started));
    }

    private static String logs() throws IOException {
        return "\n--- worker-1:\n" + readLog(cluster.log("worker-1")) + "\n--- worker-2:\n"
                + readLog(cluster.log("worker-2"));
    }
}
