package dev.fleet.inventory;

import java.util.Map;

/**
 * One inventory host. {@code vars} are only the host's own variables: inline ones from the inventory file,
 * overridden by {@code host_vars/} files. Group variables are not here on purpose, because which group wins
 * depends on the whole inventory; use {@link Inventory#varsFor(String)} for the merged view and
 * {@link Inventory#connection(String)} for address, port, user and key.
 */
public record Host(String name, Map<String, Object> vars) {
    public Host {
        vars = Vars.freeze(vars);
    }
}
