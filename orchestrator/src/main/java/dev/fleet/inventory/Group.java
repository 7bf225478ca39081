package dev.fleet.inventory;

import java.util.List;
import java.util.Map;

/**
 * One inventory group. {@code hosts} are the direct members in order of first appearance (for {@code all}:
 * every host of the inventory); {@code children} are the direct child group names; {@code vars} are the
 * group's own variables from the inventory file overridden by its {@code group_vars/} files.
 * Use {@link Inventory#hostsOf(String)} for members including those of child groups.
 */
public record Group(String name, List<String> hosts, List<String> children, Map<String, Object> vars) {
    public Group {
        hosts = List.copyOf(hosts);
        children = List.copyOf(children);
        vars = Vars.freeze(vars);
    }
}
