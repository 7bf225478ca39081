package dev.fleet.cli;

import dev.fleet.engine.ExitCodes;
import dev.fleet.inventory.Inventory;
import dev.fleet.inventory.InventoryViews;
import dev.fleet.yaml.ParseException;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "inventory", mixinStandardHelpOptions = true,
        description = "Shows what fleet understood of an inventory (like ansible-inventory).")
final class InventoryCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = {"-i", "--inventory"}, paramLabel = "SOURCE", required = true,
            description = "Inventory file, directory, script or host list ('a,b,'); repeat to merge several.")
    java.util.List<String> inventory;

    @picocli.CommandLine.Mixin
    VaultOptions vaultOptions;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    static final class Mode {
        @Option(names = "--graph", description = "Groups and hosts as a tree.")
        boolean graph;
        @Option(names = "--list", description = "Everything as JSON (ansible-inventory --list format).")
        boolean list;
        @Option(names = "--host", paramLabel = "HOST", description = "One host's variables as JSON.")
        String host;
    }

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        Inventory inv;
        // Vaulted values are shown masked, as ansible-inventory does not show them in clear either.
        var redactor = new dev.fleet.result.Redactor();
        try {
            inv = InventorySource.load(inventory, vaultOptions.vault(redactor::add));
        } catch (dev.fleet.vault.VaultException e) {
            err.println("fleet: ERROR: " + e.getMessage());
            return ExitCodes.BAD_OPTIONS;
        } catch (ParseException e) {
            err.println("fleet: ERROR: " + e.getMessage());
            return ExitCodes.PARSE_ERROR;
        } catch (InventorySource.MissingInventory e) {
            err.println("fleet: " + e.getMessage());
            return ExitCodes.BAD_OPTIONS;
        }
        if (mode.graph) {
            out.print(InventoryViews.graph(inv));
        } else if (mode.list) {
            out.println(json(redactor.redactValue(InventoryViews.list(inv))));
        } else {
            if (inv.host(mode.host).isEmpty()) {
                err.println("fleet: host '" + mode.host + "' is not in " + String.join(", ", inventory));
                return ExitCodes.BAD_OPTIONS;
            }
            out.println(json(redactor.redactValue(inv.varsFor(mode.host))));
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** Redacted before encoding: a secret with quotes or backslashes would not match once JSON-escaped. */
    @SuppressWarnings("unchecked")
    private static String json(Object map) {
        return new JsonObject((java.util.Map<String, Object>) map).encodePrettily();
    }
}
