package dev.fleet.engine;

import java.util.Map;

/**
 * One {@code add_host} or {@code group_by} applied to a run's inventory, with its rendered arguments: replaying
 * the changes in order on the inventory a run started with gives the same inventory, which is how a clustered
 * run's workers follow the coordinator's.
 *
 * @param version the change's place in the run's list of changes, from 1
 * @param action  {@code add_host} or {@code group_by}
 * @param host    the host the task ran for ({@code group_by} puts it in the group)
 * @param args    the task's rendered arguments
 */
public record InventoryChange(int version, String action, String host, Map<String, Object> args) {
    public InventoryChange {
        args = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(args));
    }
}
