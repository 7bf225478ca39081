package dev.fleet.engine;

import dev.fleet.inventory.Inventory;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The run's inventory, which {@code add_host} and {@code group_by} grow while the run goes: readers always see
 * one consistent immutable {@link Inventory}, writers replace it whole. The changes are kept, in order, so that a
 * clustered run's workers can replay them on their copy.
 */
final class RunInventory {
    private volatile Inventory current;
    private volatile Map<String, List<String>> groups;
    /** Immutable, replaced on each change: a reader's copy never changes under it. */
    private volatile List<InventoryChange> changes = List.of();

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

    /** Every change made so far, oldest first (the list never changes; a later change makes a new one). */
    List<InventoryChange> changes() {
        return changes;
    }

    /** Keeps a change about to be applied, numbered after the ones before it. */
    synchronized void record(String action, String host, Map<String, Object> args) {
        List<InventoryChange> out = new java.util.ArrayList<>(changes.size() + 1);
        out.addAll(changes);
        out.add(new InventoryChange(changes.size() + 1, action, host, args));
        changes = Collections.unmodifiableList(out);
    }

    /**
     * Applies what another JVM's run inventory changed, in order, skipping the changes already applied here; the
     * changes must follow on from this inventory's (a gap means one was lost).
     */
    synchronized void replay(List<InventoryChange> from) {
        for (InventoryChange c : from) {
            if (c.version() <= changes.size()) continue;
            if (c.version() != changes.size() + 1) {
                throw new IllegalStateException("inventory change " + c.version() + " arrived after change "
                        + changes.size() + ": the ones between were lost");
            }
            InventoryUpdates.run(c.action(), c.host(), c.args(), this);
        }
    }

    private void set(Inventory inventory) {
        Map<String, List<String>> g = new LinkedHashMap<>();
        for (String name : inventory.groups().keySet()) g.put(name, inventory.hostsOf(name));
        this.groups = Collections.unmodifiableMap(g);
        this.current = inventory;
    }
}
