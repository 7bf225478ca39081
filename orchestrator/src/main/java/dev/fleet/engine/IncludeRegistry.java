package dev.fleet.engine;

import dev.fleet.playbook.Play;
import dev.fleet.playbook.Task;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files {@code include_tasks} and the roles {@code include_role} brought into a clustered run, under ids both
 * sides agree on. The coordinator runs each include and {@link #adopt adopts} what it included: one id per
 * distinct (include task, file or role, variables), whose tasks (a role's handlers after them) every host that
 * includes the same shares. A worker is sent the {@link #chain} of
 * definitions that leads to a task, {@link #define defines} the ones it has not seen by parsing the same file
 * the same way, and finds the task by (id, index). Nested includes name their parent include. Thread-safe: the
 * coordinator adopts on its event loop, a worker defines off it.
 */
final class IncludeRegistry {
    /** Where a task sits: in the playbook's files ({@link RemoteInclude#STATIC}) or in an include's tasks. */
    record Address(int include, int task) {}

    private record Key(int play, int parent, int task, String file, RemoteInclude.Role role,
            Map<String, Object> vars) {}

    private final TaskIndex index;
    private final Map<Integer, RemoteInclude> definitions = new HashMap<>();
    private final Map<Integer, List<Task>> tasks = new HashMap<>();
    private final Map<Key, Integer> ids = new HashMap<>();
    private final Map<Integer, Included> included = new HashMap<>();
    private final Map<Task, Address> addresses = new IdentityHashMap<>();

    IncludeRegistry(TaskIndex index) {
        this.index = index;
    }

    /** Where {@code task} of {@code play} sits; null for a task neither in the files nor in an adopted include. */
    synchronized Address address(int play, Task task) {
        Address a = addresses.get(task);
        if (a != null) return a;
        int i = index.task(task);
        return i == -2 ? null : new Address(RemoteInclude.STATIC, i);
    }

    /**
     * The coordinator's side: what {@code include} (a task of {@code play}) included on one host, each file given
     * its include's id (a new one the first time). Returns the includes to walk, whose tasks are the ones first
     * included under that id, so that every host's task has one address.
     */
    synchronized List<Included> adopt(int play, Task include, List<Included> found) {
        Address parent = address(play, include);
        if (parent == null) throw new IllegalArgumentException("include at " + include.position() + " is unknown");
        List<Included> out = new ArrayList<>();
        for (Included inc : found) {
            String file = inc.role() != null ? ""
                    : Path.of(String.valueOf(include.args().get("_dir"))).relativize(inc.file()).toString();
            RemoteInclude.Role role = inc.role() == null ? null
                    : new RemoteInclude.Role(inc.role().name(), inc.role().from());
            Key key = new Key(play, parent.include(), parent.task(), file, role, inc.vars());
            Integer id = ids.get(key);
            if (id == null) {
                id = ids.size();
                ids.put(key, id);
                definitions.put(id, new RemoteInclude(id, play, parent.include(), parent.task(), file, role,
                        inc.vars()));
                register(id, inc.allTasks());
                included.put(id, inc);
            }
            out.add(included.get(id));
        }
        return out;
    }

    /** The definitions a worker needs to find an included task: its include's, after its parents', outermost first. */
    synchronized List<RemoteInclude> chain(Address at) {
        List<RemoteInclude> out = new ArrayList<>();
        for (int id = at.include(); id != RemoteInclude.STATIC; id = definitions.get(id).parent()) {
            out.add(0, definitions.get(id));
        }
        return out;
    }

    /** Whether an include id is known here (a worker parses the ones it is not). */
    synchronized boolean defined(int id) {
        return tasks.containsKey(id);
    }

    /**
     * A worker's side: registers the tasks of an include the coordinator defined, parsed from {@code dir} (the
     * include task's directory here) with {@code files}, or for a role loaded with {@code roles} from this worker's
     * copy; its parent must be defined first. Blocking (reads the files).
     */
    void define(RemoteInclude def, TaskIncludes files, RoleIncludes roles) throws dev.fleet.yaml.ParseException {
        if (defined(def.id())) return;
        Task include = task(def.play(), new Address(def.parent(), def.task()));
        List<Task> parsed;
        if (def.role() != null) {
            Included.RoleSource source = new Included.RoleSource(def.role().name(), def.role().from(),
                    include.position().toString());
            parsed = roles.load(include, source, def.vars()).included().allTasks();
        } else {
            Path dir = Path.of(String.valueOf(include.args().get("_dir")));
            parsed = Play.tasksOf(files.parse(include, dir.resolve(def.file()).normalize(), def.vars()));
        }
        synchronized (this) {
            if (defined(def.id())) return;
            definitions.put(def.id(), def);
            register(def.id(), parsed);
        }
    }

    /** The task at {@code at} of {@code play}; the include it names must be defined. */
    synchronized Task task(int play, Address at) {
        if (at.include() == RemoteInclude.STATIC) return index.task(play, at.task());
        List<Task> list = tasks.get(at.include());
        if (list == null) throw new IllegalStateException("include " + at.include() + " was never defined here");
        return list.get(at.task());
    }

    private void register(int id, List<Task> list) {
        tasks.put(id, list);
        for (int i = 0; i < list.size(); i++) addresses.putIfAbsent(list.get(i), new Address(id, i));
    }
}
