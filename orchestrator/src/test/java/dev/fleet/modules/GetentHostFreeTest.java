package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code getent}: one getent call, shaped into {@code ansible_facts.getent_<database>} as Ansible does. */
class GetentHostFreeTest {
    private final FakeHostSession host = new FakeHostSession("web1");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> fact(TaskOutcome o, String db) {
        return (Map<String, Object>) ((Map<String, Object>) o.data().get("ansible_facts")).get("getent_" + db);
    }

    @Test
    void passwdSplitsOnColonsAndKeysOnTheFirstField() throws Exception {
        host.on("getent passwd root", 0, "root:x:0:0:root:/root:/bin/bash\n");
        TaskOutcome o = ModuleHarness.run(host, "getent", args("database", "passwd", "key", "root"));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(fact(o, "passwd")).containsExactly(Map.entry("root",
                List.of("x", "0", "0", "root", "/root", "/bin/bash")));
    }

    @Test
    void emptyTrailingFieldsAreKept() throws Exception {
        host.on("getent group", 0, "sudo:x:27:\n");
        assertThat(fact(ModuleHarness.run(host, "getent", args("database", "group", "key", "sudo")), "group"))
                .containsEntry("sudo", List.of("x", "27", ""));
    }

    @Test
    void otherDatabasesSplitOnWhitespaceAndRepeatedKeysHoldEveryLine() throws Exception {
        host.on("getent services", 0, "domain                53/tcp\ndomain                53/udp\nssh  22/tcp\n");
        Map<String, Object> f = fact(ModuleHarness.run(host, "getent", args("database", "services")), "services");
        assertThat(f).containsEntry("domain", List.of(List.of("53/tcp"), List.of("53/udp")))
                .containsEntry("ssh", List.of("22/tcp"));
        assertThat(host.commands()).containsExactly("getent services");
    }

    @Test
    void splitOverridesTheSeparator() throws Exception {
        host.on("getent hosts", 0, "127.0.0.1\tlocalhost\tlh\n");
        Map<String, Object> f = fact(ModuleHarness.run(host, "getent", args("database", "hosts", "split", "\t")),
                "hosts");
        assertThat(f).containsEntry("127.0.0.1", Arrays.asList("localhost", "lh"));
    }

    @Test
    void theKeyIsOneQuotedArgumentAndServiceIsPassedOn() throws Exception {
        ModuleHarness.run(host, "getent", args("database", "passwd", "key", "a b;rm -rf /", "service", "files"));
        assertThat(host.commands()).containsExactly("getent -s files passwd 'a b;rm -rf /'");
    }

    @Test
    void aMissingKeyFailsOrWithFailKeyFalseMapsToNull() throws Exception {
        host.on("getent passwd", 2, "");
        TaskOutcome o = ModuleHarness.run(host, "getent", args("database", "passwd", "key", "nosuch"));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("One or more supplied key could not be found in the database.");
        o = ModuleHarness.run(host, "getent", args("database", "passwd", "key", "nosuch", "fail_key", false));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(fact(o, "passwd")).containsEntry("nosuch", null).hasSize(1);
    }

    @Test
    void anUnknownDatabaseOrEnumerationFailureFailsAsAnsible() throws Exception {
        host.on("getent nosuchdb", 1, "", "Unknown database: nosuchdb");
        assertThat(ModuleHarness.run(host, "getent", args("database", "nosuchdb")).msg())
                .isEqualTo("Missing arguments, or database unknown.");
        host.on("getent initgroups", 3, "");
        assertThat(ModuleHarness.run(host, "getent", args("database", "initgroups")).msg())
                .isEqualTo("Enumeration not supported on this database.");
    }

    @Test
    void databaseIsRequired() throws Exception {
        assertThat(ModuleHarness.rejection(host, "getent", args("key", "root"))).contains("database");
    }
}
