package dev.fleet.playbook;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One use of a role, loaded: what it runs and what it shares with the play.
 *
 * @param ref            what each of its tasks carries ({@link Task#role()}): name, directory, variables
 * @param tasks          its dependencies' tasks, then its own, with the use's keywords ({@code when}, {@code tags},
 *                       {@code become} ...) passed down; whether a repeated use runs is decided per host (see
 *                       {@link RoleRef#once()})
 * @param handlers       its dependencies' handlers, then its own
 * @param exportDefaults {@code defaults/} of its dependencies, then its own: what every task of the play sees
 *                       at the lowest level
 * @param exportVars     {@code vars/} (with the use's {@code vars:}) of its dependencies, then its own: what every
 *                       task of the play sees above play vars (Ansible's default, {@code private_role_vars} off)
 * @param dependencies   names of the roles it depends on, directly or not ({@code ansible_dependent_role_names})
 */
public record Role(RoleRef ref, List<TaskItem> tasks, List<Task> handlers, Map<String, Object> exportDefaults,
        Map<String, Object> exportVars, List<String> dependencies) {

    public Role {
        tasks = List.copyOf(tasks);
        handlers = List.copyOf(handlers);
        exportDefaults = Collections.unmodifiableMap(new LinkedHashMap<>(exportDefaults));
        exportVars = Collections.unmodifiableMap(new LinkedHashMap<>(exportVars));
        dependencies = List.copyOf(dependencies);
    }

    public String name() {
        return ref.name();
    }

    public Path dir() {
        return ref.path();
    }
}
