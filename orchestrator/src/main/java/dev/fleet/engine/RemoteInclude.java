package dev.fleet.engine;

import java.util.Map;

/**
 * One file an {@code include_tasks} brought in during a clustered run, as the coordinator names it to workers: the
 * coordinator ran the include (a controller action) and gave what it included an id; a worker parses the same file
 * the same way and keeps its tasks under that id, so a {@link RemoteTask} can name an included task.
 *
 * @param id     the coordinator's number for this include, unique in the run
 * @param play   index of the play in the playbook
 * @param parent the include the {@code include_tasks} task itself came from, or {@link #STATIC} for one written
 *               in the playbook's files
 * @param task   the {@code include_tasks} task's index: in {@link TaskIndex}'s order for the play, or in the
 *               parent include's tasks
 * @param file   the included file, relative to the include task's directory (both sides resolve it there)
 * @param vars   the variables the included tasks inherit: the include's {@code vars} and its loop item
 */
public record RemoteInclude(int id, int play, int parent, int task, String file, Map<String, Object> vars) {
    /** The parent of an include written in the playbook's files. */
    public static final int STATIC = -1;

    public RemoteInclude {
        vars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
    }
}
