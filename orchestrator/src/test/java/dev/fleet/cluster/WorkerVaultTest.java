package dev.fleet.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleet.engine.RunSetup;
import dev.fleet.inventory.Inventory;
import dev.fleet.inventory.InventoryLoader;
import dev.fleet.playbook.Playbook;
import dev.fleet.vault.Vault;
import dev.fleet.vault.VaultException;
import dev.fleet.vault.VaultSecret;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker's own vault secrets: its config keys, its refusal when it lacks an id, unsealing what was shipped. */
class WorkerVaultTest {
    @TempDir
    Path dir;

    private Path config(String workerExtra) throws Exception {
        for (String f : new String[] {"n.key", "n.crt", "ca.crt"}) Files.writeString(dir.resolve(f), "pem");
        Files.writeString(dir.resolve("prod.pw"), "prod-pass\n");
        Files.writeString(dir.resolve("default.pw"), "default-pass\n");
        Path file = dir.resolve("w.yml");
        Files.writeString(file, """
                cluster:
                  address: 127.0.0.3
                  members: [127.0.0.3:5701]
                  tls: {key: n.key, cert: n.crt, ca: ca.crt}
                worker:
                  id: w1
                """ + workerExtra);
        return file;
    }

    @Test
    void readsItsOwnSecretsFromTheFilesItsConfigNames() throws Exception {
        ClusterConfig c = ClusterConfig.load(config("  vault_password_file: default.pw\n"
                + "  vault_ids: [{id: prod, file: prod.pw}]\n"));
        assertThat(c.worker().vaultIds()).containsExactly(new ClusterConfig.VaultId("prod", dir.resolve("prod.pw")),
                new ClusterConfig.VaultId("default", dir.resolve("default.pw")));
        WorkerVault v = WorkerVault.load(c);
        assertThat(v.ids()).containsExactly("prod", "default");
        assertThat(v.refusal(List.of("prod", "default"))).isNull();
        String text = new Vault(List.of(VaultSecret.of("prod", "prod-pass")), x -> {})
                .encrypt("hello", VaultSecret.of("prod", "prod-pass"));
        assertThat(v.vault().decrypt(text, "t").text()).isEqualTo("hello");
    }

    @Test
    void aWorkerWithoutAnIdTheRunNeedsRefusesNamingTheIdAndTheKeyToSet() throws Exception {
        ClusterConfig c = ClusterConfig.load(config("  vault_password_file: default.pw\n"));
        String why = WorkerVault.load(c).refusal(List.of("default", "prod"));
        assertThat(why).contains("vault id 'prod'").contains("add {id: prod, file: FILE} to worker.vault_ids")
                .contains(dir.resolve("w.yml").toString()).doesNotContain("default-pass");
        String none = WorkerVault.load(ClusterConfig.load(config(""))).refusal(List.of("default"));
        assertThat(none).contains("vault id 'default'").contains("set worker.vault_password_file: FILE");
    }

    @Test
    void badVaultKeysAreNamed() throws Exception {
        assertThatThrownBy(() -> ClusterConfig.load(config("  vault_ids: [{id: prod, file: nope.pw}]\n")))
                .hasMessageContaining("worker.vault_ids entry.file: cannot read");
        assertThatThrownBy(() -> ClusterConfig.load(config("  vault_ids: [{id: prod, password: x}]\n")))
                .hasMessageContaining("unknown key 'password' in worker.vault_ids entry");
        assertThatThrownBy(() -> ClusterConfig.load(config("  vault_password_file: default.pw\n"
                + "  vault_ids: [{id: default, file: prod.pw}]\n"))).hasMessageContaining("'default' is given twice");
    }

    @Test
    void whatTheCoordinatorSealedTheWorkerOpensWithTheSamePasswordOnly() throws Exception {
        Path pbDir = dir.resolve("project");
        Files.createDirectories(pbDir);
        Path pb = pbDir.resolve("site.yml");
        Files.writeString(pb, "- hosts: all\n  tasks:\n    - debug: msg=hi\n");
        VaultSecret prod = VaultSecret.of("prod", "prod-pass");
        StringBuilder inv = new StringBuilder("all:\n  hosts:\n    h1:\n      token: !vault |\n");
        new Vault(List.of(prod), x -> {}).encrypt("tok-98765", prod).lines()
                .forEach(l -> inv.append("        ").append(l).append('\n'));
        inv.append("      things: [1, tok-98765]\n");
        Files.writeString(dir.resolve("inv.yml"), inv);
        Set<String> revealed = ConcurrentHashMap.newKeySet();
        Vault coordinator = new Vault(List.of(prod), x -> {}).alsoRevealingTo(revealed::add);
        Inventory loaded = Inventory.load(dir.resolve("inv.yml"), coordinator);
        Playbook playbook = new RunSetup().parse(pb, coordinator);
        JsonObject open = OpenMessage.build(pb, playbook, loaded, ClusterRunsTest.options(Map.of()),
                new RunInputs(List.of(), coordinator, revealed));

        JsonObject list = new JsonObject(open.getString("inventory"));
        JsonObject h1 = list.getJsonObject("_meta").getJsonObject("hostvars").getJsonObject("h1");
        new VaultSeal.Opener(new Vault(List.of(VaultSecret.of("prod", "prod-pass")), x -> {})).open(h1, "inv h1");
        Inventory onWorker = InventoryLoader.fromList(list.encode(), "shipped");
        assertThat(onWorker.varsFor("h1")).containsEntry("token", "tok-98765")
                .containsEntry("things", List.of(1, "tok-98765"));

        JsonObject again = new JsonObject(open.getString("inventory")).getJsonObject("_meta")
                .getJsonObject("hostvars").getJsonObject("h1");
        assertThatThrownBy(() -> new VaultSeal.Opener(new Vault(List.of(VaultSecret.of("prod", "wrong")), x -> {}))
                .open(again, "the coordinator's inventory, host h1")).isInstanceOf(VaultException.class)
                .hasMessageContaining("host h1, variable ").hasMessageContaining("decryption failed");
    }

    @Test
    void aShippedRunReadsOnTheWorkerAsOnTheCoordinatorWithTheWorkersOwnSecret() throws Exception {
        VaultSecret prod = VaultSecret.of("prod", "prod-pass");
        Vault encrypting = new Vault(List.of(prod), x -> {});
        Path pbDir = dir.resolve("project");
        Path roles = dir.resolve("roles-elsewhere");
        Files.createDirectories(roles.resolve("web/tasks"));
        Files.writeString(roles.resolve("web/tasks/main.yml"), "- name: from web\n  debug: msg={{ db }}\n");
        Files.createDirectories(pbDir);
        Files.writeString(pbDir.resolve("secrets.yml"), encrypting.encrypt("db: s3cret-db\n", prod));
        Path pb = pbDir.resolve("site.yml");
        Files.writeString(pb, "- hosts: all\n  vars_files: [secrets.yml]\n  roles: [web]\n");
        Files.writeString(dir.resolve("extra.yml"), encrypting.encrypt("from_e: s3cret-e\n", prod));
        Set<String> revealed = ConcurrentHashMap.newKeySet();
        Vault coordinator = new Vault(List.of(prod), x -> {}).alsoRevealingTo(revealed::add);
        Playbook playbook = new RunSetup().withRolesPath(List.of(roles)).parse(pb, coordinator);
        Map<String, Object> extra = dev.fleet.yaml.YamlLoader.load(dir.resolve("extra.yml"), coordinator).toPlain()
                instanceof Map<?, ?> m ? Map.of("from_e", m.get("from_e")) : Map.of();
        JsonObject open = OpenMessage.build(pb, playbook, Inventory.parse("h1\n", "inv"),
                ClusterRunsTest.options(extra), new RunInputs(List.of(roles), coordinator, revealed));
        assertThat(open.encode()).doesNotContain("s3cret");

        Path run = dir.resolve("work/run-1");
        PlaybookArchive.unpack(open.getBinary("archive"), run);
        ClusterConfig.Worker self = new ClusterConfig.Worker("w1", "", null, null, null, 5, dir.resolve("work"),
                List.of());
        OpenMessage.Read read = OpenMessage.read(open, run, self, new Vault(List.of(VaultSecret.of("prod",
                "prod-pass")), x -> {}), null);
        var task = read.playbook().plays().get(0).allTasks().get(0);
        assertThat(task.role().path()).isEqualTo(run.resolve("roles_path/0/web"));
        assertThat(read.playbook().plays().get(0).vars()).containsEntry("db", "s3cret-db");
        assertThat(read.options().extraVars()).containsEntry("from_e", "s3cret-e");
        assertThatThrownBy(() -> OpenMessage.read(open, run, self, Vault.NONE, null))
                .isInstanceOf(dev.fleet.yaml.ParseException.class).hasMessageContaining("secrets.yml");
    }
}
