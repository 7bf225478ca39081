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

    @Option(names = {"-i", "--inventory"}, paramLabel = "FILE", required = true, description = "Inventory file.")
    String inventory;

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
        try {
            inv = InventorySource.load(inventory);
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
            out.println(new JsonObject(InventoryViews.list(inv)).encodePrettily());
        } else {
            if (inv.host(mode.host).isEmpty()) {
                err.println("fleet: host '" + mode.host + "' is not in " + inventory);
                return ExitCodes.BAD_OPTIONS;
            }
            out.println(new JsonObject(inv.varsFor(mode.host)).encodePrettily());
        }
        out.flush();
        return ExitCodes.OK;
    }
}
