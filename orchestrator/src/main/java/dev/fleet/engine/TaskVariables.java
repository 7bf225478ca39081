package dev.fleet.engine;

import dev.fleet.playbook.Play;
import dev.fleet.playbook.RoleRef;
import dev.fleet.playbook.Task;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The variables a task sees on one host, layered as Ansible 2.14 does: role defaults (every role of the play, those
 * a public include_role shared, then the task's own role's) < inventory < play vars and vars_files < role vars
 * (every role's, then the task's role's)
 * < block and task vars < include_vars < facts, set_fact and registered results < role parameters < extra vars;
 * then Ansible's magic variables.
 */
final class TaskVariables {

    private final RunInventory inventory;
    private final RunOptions options;
    private final Path playbookDir;
    private final java.util.function.Function<String, HostState> hosts;
    private final HostVars.Elsewhere elsewhere;
    /** {@code omit}: a token no real value contains; arguments equal to it are dropped after rendering. */
    final String omit = "__omit_place_holder__" + Long.toHexString(ThreadLocalRandom.current().nextLong());

    TaskVariables(RunInventory inventory, RunOptions options, Path playbookDir,
            java.util.function.Function<String, HostState> hosts) {
        this(inventory, options, playbookDir, hosts, HostVars.Elsewhere.NONE);
    }

    /** {@code elsewhere}: hosts whose state another JVM keeps (a cluster worker's view of the other workers'). */
    TaskVariables(RunInventory inventory, RunOptions options, Path playbookDir,
            java.util.function.Function<String, HostState> hosts, HostVars.Elsewhere elsewhere) {
        this.inventory = inventory;
        this.options = options;
        this.playbookDir = playbookDir;
        this.hosts = hosts;
        this.elsewhere = elsewhere;
    }

    Map<String, Object> of(HostState host, PlayScope scope, Task task, boolean check, boolean diff) {
        Play.Roles roles = scope.play().roles();
        RoleRef role = task.role();
        Map<String, Object> vars = new LinkedHashMap<>(roles.defaults());
        vars.putAll(host.publicDefaults()); // include_role with public: true, from the include on
        if (role != null) vars.putAll(role.defaults());
        vars.putAll(inventory.get().varsFor(host.name));
        vars.putAll(scope.play().vars());
        vars.putAll(roles.vars());
        vars.putAll(host.publicVars());
        if (role != null) vars.putAll(role.vars());
        vars.putAll(task.keywords().vars());
        vars.putAll(host.includedVarsSnapshot());
        vars.putAll(host.factsSnapshot());
        if (role != null) vars.putAll(role.params());
        vars.putAll(options.extraVars());
        vars.put("inventory_hostname", host.name);
        vars.put("hostvars", new HostVars(inventory.get(), hosts, options.extraVars(), elsewhere));
        vars.put("groups", inventory.groups());
        vars.put("ansible_play_hosts_all", new PlayHostNames(scope.playHosts(), false));
        vars.put("ansible_play_hosts", new PlayHostNames(scope.playHosts(), true));
        List<String> batch = new PlayHostNames(scope.batch(), true);
        vars.put("ansible_play_batch", batch);
        vars.put("play_hosts", batch);
        vars.put("ansible_play_name", scope.play().displayName());
        vars.put("omit", omit);
        vars.put("ansible_verbosity", options.verbosity());
        if (host.failedTask != null) {
            vars.put("ansible_failed_task", host.failedTask);
            vars.put("ansible_failed_result", host.failedResult);
        }
        vars.put("ansible_run_tags", options.tags().isEmpty() ? List.of("all") : List.copyOf(options.tags()));
        vars.put("ansible_skip_tags", List.copyOf(options.skipTags()));
        vars.put("ansible_check_mode", check);
        vars.put("ansible_diff_mode", diff);
        vars.put("playbook_dir", playbookDir.toString());
        roleMagic(vars, roles, task);
        return vars;
    }

    /**
     * {@code role_name}, {@code role_path}, {@code role_names}, ... and {@code ansible_search_path}.
     * {@code ansible_role_names} is a set in Ansible (its order varies): here, play roles then dependencies.
     */
    private void roleMagic(Map<String, Object> vars, Play.Roles roles, Task task) {
        vars.put("role_names", roles.names());
        vars.put("ansible_play_role_names", roles.names());
        Set<String> all = new LinkedHashSet<>(roles.names());
        all.addAll(roles.dependentNames());
        vars.put("ansible_role_names", List.copyOf(all));
        vars.put("ansible_dependent_role_names", roles.dependentNames());
        vars.put("ansible_search_path", searchPath(task).stream().map(Path::toString).toList());
        RoleRef role = task.role();
        if (role == null) return;
        vars.put("role_name", role.shortName());
        vars.put("ansible_role_name", role.name());
        vars.put("role_path", role.path().toString());
        if (!role.parentNames().isEmpty()) vars.put("ansible_parent_role_names", role.parentNames());
    }

    /**
     * Where the task's relative file names are looked up, as Ansible's {@code ansible_search_path}: its role and the
     * roles that brought it in, the directory of the file the task is written in, the playbook's directory.
     */
    List<Path> searchPath(Task task) {
        Set<Path> out = new LinkedHashSet<>();
        if (task.role() != null) out.addAll(task.role().searchPath());
        String file = task.position().file();
        if (file != null && !file.isEmpty()) {
            Path parent = Path.of(file).toAbsolutePath().normalize().getParent();
            if (parent != null) out.add(parent);
        }
        out.add(playbookDir);
        return List.copyOf(out);
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
