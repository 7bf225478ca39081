package dev.fleet.engine;

import dev.fleet.inventory.Inventory;
import dev.fleet.playbook.Task;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The variables a task sees on one host, layered as Ansible does (inventory < play vars and vars_files < block
 * and task vars < facts and registered results < extra vars), plus Ansible's magic variables.
 */
final class TaskVariables {
    /** What {@code ansible_managed} says unless a variable overrides it (ansible-core 2.14's default). */
    static final String ANSIBLE_MANAGED = "Ansible managed";

    private final Inventory inventory;
    private final RunOptions options;
    private final Path playbookDir;
    private final java.util.function.Function<String, HostState> hosts;
    private final Map<String, List<String>> groups;
    /** {@code omit}: a token no real value contains; arguments equal to it are dropped after rendering. */
    final String omit = "__omit_place_holder__" + Long.toHexString(ThreadLocalRandom.current().nextLong());

    TaskVariables(Inventory inventory, RunOptions options, Path playbookDir,
            java.util.function.Function<String, HostState> hosts) {
        this.inventory = inventory;
        this.options = options;
        this.playbookDir = playbookDir;
        this.hosts = hosts;
        Map<String, List<String>> g = new LinkedHashMap<>();
        for (String name : inventory.groups().keySet()) g.put(name, inventory.hostsOf(name));
        this.groups = Collections.unmodifiableMap(g);
    }

    Map<String, Object> of(HostState host, PlayScope scope, Task task, boolean check, boolean diff) {
        Map<String, Object> vars = new LinkedHashMap<>(inventory.varsFor(host.name));
        vars.put("ansible_managed", ANSIBLE_MANAGED);
        vars.putAll(scope.play().vars());
        vars.putAll(task.keywords().vars());
        vars.putAll(host.factsSnapshot());
        vars.putAll(options.extraVars());
        vars.put("inventory_hostname", host.name);
        vars.put("hostvars", new HostVars(inventory, hosts, options.extraVars()));
        vars.put("groups", groups);
        vars.put("ansible_play_hosts_all", names(scope.playHosts(), false));
        vars.put("ansible_play_hosts", names(scope.playHosts(), true));
        List<String> batch = names(scope.batch(), true);
        vars.put("ansible_play_batch", batch);
        vars.put("play_hosts", batch);
        vars.put("ansible_play_name", scope.play().displayName());
        vars.put("omit", omit);
        vars.put("ansible_check_mode", check);
        vars.put("ansible_diff_mode", diff);
        vars.put("playbook_dir", playbookDir.toString());
        return vars;
    }

    private static List<String> names(List<HostState> states, boolean activeOnly) {
        return states.stream().filter(h -> !activeOnly || h.active()).map(h -> h.name).toList();
    }

    /** Drops arguments (at any depth of mappings and lists) whose value is the {@code omit} token. */
    Object stripOmitted(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> {
                if (!omit.equals(v)) out.put(String.valueOf(k), stripOmitted(v));
            });
            return out;
        }
        if (value instanceof List<?> l) {
            return l.stream().filter(v -> !omit.equals(v)).map(this::stripOmitted).toList();
        }
        return value;
    }
}
