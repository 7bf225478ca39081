package dev.fleet.cli;

import dev.fleet.inventory.Inventory;
import dev.fleet.vault.Vault;
import dev.fleet.yaml.ParseException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resolves {@code -i}: a file, or Ansible's inline host list ({@code 'web1,web2,'}). */
final class InventorySource {
    private InventorySource() {}

    static final class MissingInventory extends Exception {
        MissingInventory(String message) {
            super(message);
        }
    }

    static Inventory load(String spec) throws ParseException, MissingInventory {
        return load(spec, Vault.NONE);
    }

    static Inventory load(String spec, Vault vault) throws ParseException, MissingInventory {
        Path p = Path.of(spec);
        if (Files.exists(p)) return Inventory.load(p, vault);
        if (spec.contains(",")) {
            StringBuilder ini = new StringBuilder();
            for (String h : spec.split(",")) if (!h.isBlank()) ini.append(h.strip()).append('\n');
            return Inventory.parse(ini.toString(), "-i '" + spec + "'");
        }
        throw new MissingInventory("inventory " + spec + " not found; give an inventory file or a host list "
                + "ending in a comma (-i 'host1,host2,')");
    }
}
