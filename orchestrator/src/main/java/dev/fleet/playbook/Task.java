package dev.fleet.playbook;

import dev.fleet.yaml.SourcePosition;
import java.util.Map;

/**
 * One task: a module with its (still templated) arguments and the task keywords fleet understands.
 *
 * @param register variable name under which the result is kept for later tasks, or null
 */
public record Task(String name, String module, Map<String, Object> args, boolean ignoreErrors, String register,
        SourcePosition position) {

    public Task {
        args = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(args));
    }

    /** The name shown in output: the task's name, or the module and its arguments as Ansible shows them. */
    public String displayName() {
        if (name != null && !name.isBlank()) return name;
        Object raw = args.get("_raw_params");
        if (raw == null) raw = args.get("cmd");
        return raw == null ? module : module + " " + raw;
    }
}
