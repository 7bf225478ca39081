package dev.fleet.cluster;

import dev.fleet.engine.RunOptions;
import dev.fleet.engine.RunSetup;
import dev.fleet.inventory.Inventory;
import dev.fleet.inventory.InventoryLoader;
import dev.fleet.inventory.InventoryViews;
import dev.fleet.playbook.Playbook;
import dev.fleet.vault.Vault;
import dev.fleet.vault.VaultException;
import dev.fleet.yaml.ParseException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code open} message a coordinator sends every worker: the playbook's directory and the roles it uses from
 * the roles path ({@link PlaybookArchive}, {@link ShippedRoles}), the worker's roles path, the inventory as loaded
 * and the run options with vaulted values sealed ({@link VaultSeal}), and the vault ids the worker must have. No
 * vault password, SSH key, user or become password: those are each worker's own. {@link #read} is the worker's side.
 */
final class OpenMessage {
    private OpenMessage() {}

    /** A run as a worker reads it from the message, with the setup (roles path) to parse its includes with. */
    record Read(RunSetup setup, Playbook playbook, Inventory inventory, RunOptions options, Vault vault) {}

    /** The message without the coordinator's node id, which the caller adds once it has joined. */
    static JsonObject build(Path playbookFile, Playbook playbook, Inventory inventory,
            RunOptions options, RunInputs inputs) throws ClusterException {
        Path dir = playbookFile.toAbsolutePath().getParent();
        ShippedRoles roles = ShippedRoles.of(playbook, dir, inputs.rolesPath());
        byte[] archive = PlaybookArchive.pack(dir, roles.archiveRoots());
        VaultSeal seal = new VaultSeal(inputs.vault(), inputs.revealed());
        List<String> vaultIds = new ArrayList<>(inputs.vault().idsUsed());
        return new JsonObject().put("archive", archive).put("playbook", playbookFile.getFileName().toString())
                .put("rolesPath", new JsonArray(new ArrayList<>(roles.workerRolesPath())))
                .put("vaultIds", new JsonArray(vaultIds))
                .put("inventory", new JsonObject(sealedInventory(inventory, seal)).encode())
                .put("options", RunOptionsWire.toJson(options)
                        .put("extraVars", Wire.json(seal.seal(options.extraVars()))));
    }

    /** {@code ansible-inventory --list}'s structure with each host's vaulted variables sealed. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> sealedInventory(Inventory inventory, VaultSeal seal) {
        Map<String, Object> list = new LinkedHashMap<>(InventoryViews.list(inventory));
        Map<String, Object> meta = new LinkedHashMap<>((Map<String, Object>) list.get("_meta"));
        Map<String, Object> hostvars = new LinkedHashMap<>();
        ((Map<String, Object>) meta.get("hostvars")).forEach((host, vars) ->
                hostvars.put(host, seal.seal((Map<String, Object>) vars)));
        meta.put("hostvars", hostvars);
        list.put("_meta", meta);
        return list;
    }

    /**
     * The worker's side: the run in {@code open}, whose archive is unpacked in {@code dir}, parsed and decrypted with
     * the worker's own {@code vault}, its options with the worker's connection settings and become password.
     */
    static Read read(JsonObject open, Path dir, ClusterConfig.Worker worker, Vault vault,
            RunOptions.Secret becomePassword) throws IOException, ParseException, VaultException {
        Path playbookDir = dir.resolve(PlaybookArchive.PLAYBOOK);
        Path playbookFile = playbookDir.resolve(open.getString("playbook")).normalize();
        if (!playbookFile.startsWith(playbookDir)) throw new IOException("playbook path outside the shipped directory");
        List<Path> rolesPath = new ArrayList<>();
        for (String p : Wire.strings(open.getJsonArray("rolesPath", new JsonArray()))) {
            Path entry = dir.resolve(p).normalize();
            if (!entry.startsWith(dir)) throw new IOException("roles path entry outside the shipped directory");
            rolesPath.add(entry);
        }
        // never this machine's ANSIBLE_ROLES_PATH (an empty list would mean it): the coordinator's is what counts
        RunSetup setup = new RunSetup().withRolesPath(rolesPath.isEmpty()
                ? List.of(dir.resolve(ShippedRoles.ROLES_PATH)) : rolesPath);
        Playbook playbook = setup.parse(playbookFile, vault);
        VaultSeal.Opener opener = new VaultSeal.Opener(vault);
        JsonObject list = new JsonObject(open.getString("inventory"));
        JsonObject hostvars = list.getJsonObject("_meta", new JsonObject()).getJsonObject("hostvars",
                new JsonObject());
        for (String host : hostvars.fieldNames()) {
            opener.open(hostvars.getJsonObject(host), "the coordinator's inventory, host " + host);
        }
        Inventory inventory = InventoryLoader.fromList(list.encode(), "coordinator's inventory");
        JsonObject options = open.getJsonObject("options").copy();
        opener.open(options.getJsonObject("extraVars"), "the coordinator's extra vars");
        return new Read(setup, playbook, inventory, RunOptionsWire.fromJson(options, worker, becomePassword), vault);
    }
}
