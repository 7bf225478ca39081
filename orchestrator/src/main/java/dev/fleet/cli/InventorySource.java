package dev.fleet.cli;

import dev.fleet.inventory.Inventory;
import dev.fleet.inventory.InventoryLoader;
import dev.fleet.vault.Vault;
import dev.fleet.yaml.ParseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Resolves {@code -i} options: each a file (INI, YAML or executable script), a directory, or Ansible's inline
 * host list ({@code 'web1,web2,'}); several are merged in order (see {@link InventoryLoader}).
 */
final class InventorySource {
    private InventorySource() {}

    static final class MissingInventory extends Exception {
        MissingInventory(String message) {
            super(message);
        }
    }

    static Inventory load(String spec) throws ParseException, MissingInventory {
        return load(List.of(spec), Vault.NONE);
    }

    static Inventory load(String spec, Vault vault) throws ParseException, MissingInventory {
        return load(List.of(spec), vault);
    }

    /**
     * Loads the sources in order into one inventory, for repeated {@code -i} and for a configured inventory list.
     * Every source is checked to exist before any is read (or any script run).
     */
    static Inventory load(List<String> specs, Vault vault) throws ParseException, MissingInventory {
        if (specs.isEmpty()) throw new MissingInventory("no inventory given; use -i FILE, -i DIR or -i 'host1,'");
        for (String spec : specs) {
            if (!Files.exists(Path.of(spec)) && !InventoryLoader.isHostList(spec)) {
                throw new MissingInventory("inventory " + spec + " not found; give an inventory file, directory or "
                        + "script, or a host list ending in a comma (-i 'host1,host2,')");
            }
        }
        return InventoryLoader.load(specs, vault);
    }
}
