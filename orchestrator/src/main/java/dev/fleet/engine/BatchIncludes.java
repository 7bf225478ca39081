package dev.fleet.engine;

import dev.fleet.engine.PlayBatch.IncludeGroup;
import dev.fleet.engine.PlayProgram.Step;
import dev.fleet.playbook.Play;
import dev.fleet.playbook.Task;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the includes of one batch of a play brought in: each included file or role compiled once into steps, so
 * that every host of a group walks the same steps, and the handlers of the roles included so far. Confined to
 * the run's event-loop context.
 */
final class BatchIncludes {
    private final Play play;
    private final TagFilter tags;
    private final Map<Included.Key, List<Step>> compiled = new HashMap<>();
    /** Handlers of the roles included so far, in the order included. */
    private final List<Step> handlers = new ArrayList<>();

    BatchIncludes(Play play, TagFilter tags) {
        this.play = play;
        this.tags = tags;
    }

    /** See {@link PlayBatch#takeIncludes}. */
    List<IncludeGroup> take(List<HostState> hosts, Step include) {
        Map<Included.Key, List<HostState>> groups = new LinkedHashMap<>();
        Map<Included.Key, Included> first = new LinkedHashMap<>();
        for (HostState h : hosts) {
            for (Included inc : h.pendingIncludes) {
                groups.computeIfAbsent(inc.key(), k -> new ArrayList<>()).add(h);
                first.putIfAbsent(inc.key(), inc);
            }
            h.pendingIncludes = List.of();
        }
        List<IncludeGroup> out = new ArrayList<>();
        groups.forEach((key, members) -> out.add(new IncludeGroup(compiled.computeIfAbsent(key, k -> {
            addHandlers(first.get(k).handlers());
            return PlayProgram.included(play, first.get(k).tasks(), include.frames(), tags);
        }), members)));
        return out;
    }

    /** See {@link PlayBatch#includedHandlers}. */
    List<IncludeGroup> handlers(List<HostState> hosts) {
        if (handlers.isEmpty() || hosts.isEmpty()) return List.of();
        return List.of(new IncludeGroup(List.copyOf(handlers), hosts));
    }

    /**
     * An included role's handlers become notifiable; one defined again (the same role's handler, included once
     * more) replaces the earlier, as Ansible finds the last handler of a name.
     */
    private void addHandlers(List<Task> added) {
        for (Task h : added) {
            handlers.removeIf(s -> s instanceof Step.RunHandler r && sameHandler(r.handler(), h));
            handlers.add(new Step.RunHandler(h, h.handlerTopics()));
        }
    }

    private static boolean sameHandler(Task a, Task b) {
        return a.role() != null && b.role() != null && a.role().path().equals(b.role().path())
                && Objects.equals(a.name(), b.name()) && a.position().equals(b.position());
    }
}
