package dev.fleet.playbook;

import dev.fleet.yaml.SourcePosition;
import java.util.List;
import java.util.Map;

/**
 * A play: which hosts, with which variables, run which tasks.
 *
 * @param strategy {@link Strategy#LINEAR} (every host finishes task N before any starts N+1) or
 *                 {@link Strategy#FREE} (each host runs through its tasks at its own pace)
 */
public record Play(String name, String hosts, Map<String, Object> vars, List<Task> tasks, Strategy strategy,
        boolean gatherFacts, String remoteUser, SourcePosition position) {

    public enum Strategy { LINEAR, FREE }

    public Play {
        vars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
        tasks = List.copyOf(tasks);
    }

    public String displayName() {
        return name == null || name.isBlank() ? hosts : name;
    }
}
