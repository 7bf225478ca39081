package dev.fleet.cluster;

import dev.fleet.engine.RunOptions;
import dev.fleet.inventory.Inventory;
import dev.fleet.inventory.InventoryViews;
import dev.fleet.playbook.Playbook;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code open} message a coordinator sends every worker: the playbook's directory and the roles it uses from
 * the roles path ({@link PlaybookArchive}, {@link ShippedRoles}), the worker's roles path, the inventory as loaded
 * and the run options with vaulted values sealed ({@link VaultSeal}), and the vault ids the worker must have. No
 * vault password, SSH key, user or become password: those are each worker's own.
 */
final class OpenMessage {
    private OpenMessage() {}

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
}
