package dev.fleet.engine;

import dev.fleet.inventory.Inventory;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The run's inventory, which {@code add_host} and {@code group_by} grow while the run goes: readers always see
 * one consistent immutable {@link Inventory}, writers replace it whole.
 */
final class RunInventory {
    private volatile Inventory current;
    private volatile Map<String, List<String>> groups;

    RunInventory(Inventory initial) {
        set(initial);
    }

    Inventory get() {
        return current;
    }

    /** {@code groups}: every group's hosts, of the current inventory. */
    Map<String, List<String>> groups() {
        return groups;
    }

    synchronized void update(UnaryOperator<Inventory> change) {
        set(change.apply(current));
    }

    private void set(Inventory inventory) {
        Map<String, List<String>> g = new LinkedHashMap<>();
        for (String name : inventory.groups().keySet()) g.put(name, inventory.hostsOf(name));
        this.groups = Collections.unmodifiableMap(g);
        this.current = inventory;
    }
}
