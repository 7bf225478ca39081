package dev.fleet.playbook;

import dev.fleet.yaml.SourcePosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One task: a module with its (still templated) arguments and its keywords. {@code module} is the canonical
 * name; {@code meta} and {@code include_vars} are the pseudo-modules the engine handles itself.
 *
 * @param role the role the task comes from, or null for a task of the playbook itself
 */
public record Task(String name, String module, Map<String, Object> args, Keywords keywords,
        SourcePosition position, RoleRef role) implements TaskItem {

    public Task {
        args = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(args));
    }

    public Task(String name, String module, Map<String, Object> args, Keywords keywords, SourcePosition position) {
        this(name, module, args, keywords, position, null);
    }

    public boolean ignoreErrors() {
        return keywords.ignoreErrors();
    }

    /** The name shown in output: the task's name, or the module and its arguments, after "role : " in a role. */
    public String displayName() {
        String shown = name;
        if (shown == null || shown.isBlank()) {
            Object raw = args.get("_raw_params");
            if (raw == null) raw = args.get("cmd");
            shown = raw == null ? module : module + " " + raw;
        }
        return role == null ? shown : role.name() + " : " + shown;
    }

    /**
     * The names a {@code notify} may use for this handler: its name, and in a role also {@code role : name}, as
     * Ansible accepts; then its {@code listen} topics.
     */
    public List<String> handlerTopics() {
        List<String> out = new ArrayList<>();
        if (name != null) {
            out.add(name);
            if (role != null) {
                out.add(role.name() + " : " + name);
                if (!role.shortName().equals(role.name())) out.add(role.shortName() + " : " + name);
            }
        }
        out.addAll(keywords.listen());
        return out;
    }
}
