package dev.fleet.playbook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The roles of one play, collected while it is parsed: their names, the variables they share with the whole play,
 * their handlers.
 */
final class PlayRoles {
    private final List<String> names = new ArrayList<>();
    private final Set<String> dependentNames = new LinkedHashSet<>();
    private final Map<String, Object> defaults = new LinkedHashMap<>();
    private final Map<String, Object> vars = new LinkedHashMap<>();
    /** Handlers of the play's {@code roles:}: before the play's own handlers, as Ansible orders them. */
    final List<Task> roleHandlers = new ArrayList<>();
    /** Handlers of roles brought in by {@code import_role}: after the play's own. */
    final List<Task> importedHandlers = new ArrayList<>();
    /** Handler names and topics of the roles {@code include_role} names literally: notifiable once included. */
    final Set<String> includedTopics = new LinkedHashSet<>();
    /** An {@code include_role} names its role (or handlers file) by a template: its handlers are not known yet. */
    boolean topicsUnknown;

    /** A role used by the play itself ({@code roles:}, {@code import_role}): its variables become the play's. */
    void add(Role role, boolean imported) {
        names.add(role.ref().shortName());
        dependentNames.addAll(role.dependencies());
        defaults.putAll(role.exportDefaults());
        vars.putAll(role.exportVars());
        addHandlers(imported ? importedHandlers : roleHandlers, role.handlers());
    }

    /** A handler defined again by a later use of the same role replaces the earlier (Ansible: the last one wins). */
    private static void addHandlers(List<Task> into, List<Task> handlers) {
        for (Task h : handlers) {
            into.removeIf(o -> o.role() != null && h.role() != null && o.role().path().equals(h.role().path())
                    && java.util.Objects.equals(o.name(), h.name()) && o.position().equals(h.position()));
            into.add(h);
        }
    }

    Play.Roles summary() {
        return new Play.Roles(names, List.copyOf(dependentNames), defaults, vars);
    }
}
