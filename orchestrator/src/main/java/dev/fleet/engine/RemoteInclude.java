package dev.fleet.engine;

import java.util.Map;

/**
 * One thing an include brought in during a clustered run, as the coordinator names it to workers: a file
 * ({@code include_tasks}) or a role ({@code include_role}). The coordinator ran the include (a controller action)
 * and gave what it included an id; a worker parses the same file, or loads the same role from its shipped copy,
 * the same way and keeps its tasks (a role's handlers after them) under that id, so a {@link RemoteTask} can name
 * an included task.
 *
 * @param id     the coordinator's number for this include, unique in the run
 * @param play   index of the play in the playbook
 * @param parent the include the include task itself came from, or {@link #STATIC} for one written in the
 *               playbook's files
 * @param task   the include task's index: in {@link TaskIndex}'s order for the play, or in the parent include's
 *               tasks
 * @param file   the included file, relative to the include task's directory (both sides resolve it there); empty
 *               for a role
 * @param role   the included role, as the include named it once rendered; null for a file
 * @param vars   the variables the included tasks inherit: the include's {@code vars} and its loop item
 */
public record RemoteInclude(int id, int play, int parent, int task, String file, Role role,
        Map<String, Object> vars) {
    /** The parent of an include written in the playbook's files. */
    public static final int STATIC = -1;

    public RemoteInclude {
        vars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
    }

    /** An included task file. */
    public RemoteInclude(int id, int play, int parent, int task, String file, Map<String, Object> vars) {
        this(id, play, parent, task, file, null, vars);
    }

    /** An included role: its name and {@code *_from} files ({@code tasks}, {@code vars} ... to the file). */
    public record Role(String name, Map<String, String> from) {
        public Role {
            from = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(from));
        }
    }
}
