package dev.fleet.playbook;

import dev.fleet.yaml.SourcePosition;
import java.util.Map;

/**
 * One task: a module with its (still templated) arguments and its keywords. {@code module} is the canonical
 * name; {@code meta} is the one pseudo-module the engine handles itself ({@code flush_handlers}, ...).
 */
public record Task(String name, String module, Map<String, Object> args, Keywords keywords,
        SourcePosition position) implements TaskItem {

    public Task {
        args = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(args));
    }

    public boolean ignoreErrors() {
        return keywords.ignoreErrors();
    }

    /** The name shown in output: the task's name, or the module and its arguments as Ansible shows them. */
    public String displayName() {
        if (name != null && !name.isBlank()) return name;
        Object raw = args.get("_raw_params");
        if (raw == null) raw = args.get("cmd");
        return raw == null ? module : module + " " + raw;
    }
}
