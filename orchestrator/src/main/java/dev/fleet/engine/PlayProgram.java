package dev.fleet.engine;

import dev.fleet.playbook.Block;
import dev.fleet.playbook.Play;
import dev.fleet.playbook.Task;
import dev.fleet.playbook.TaskItem;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A play compiled into a flat list of steps that every host walks in the same order. Blocks become frames on
 * their tasks plus an {@link Step.EndBlock} marker; whether a host takes a step depends on its own block state
 * (see {@link HostState#takes}). Keeping the list flat is what lets the linear strategy keep hosts in lockstep
 * even when some of them are in a rescue section and others are not.
 */
final class PlayProgram {

    enum Section { BLOCK, RESCUE, ALWAYS }

    /**
     * One block as it appears in the program.
     *
     * @param rescueUnreachable its rescue also takes hosts that became unreachable in its block section
     */
    record Scope(int id, boolean hasRescue, boolean rescueUnreachable) {}

    /** Scope ids unique in the process, so blocks of included files never share a host's block state. */
    private static final AtomicInteger SCOPES = new AtomicInteger();

    /** A block a step sits in, and in which of its sections. */
    record Frame(Scope scope, Section section) {}

    sealed interface Step {
        /** Frames from the outermost block in. */
        List<Frame> frames();

        record GatherFacts() implements Step {
            public List<Frame> frames() {
                return List.of();
            }
        }

        record RunTask(Task task, List<Frame> frames) implements Step {}

        /**
         * Hosts that notified this handler run it, once.
         *
         * @param topics the notifications it answers to: its name (unless a later handler has the same name: as
         *               in Ansible, the last one defined wins), {@code role : name}, its {@code listen} topics
         */
        record RunHandler(Task handler, List<String> topics) implements Step {
            public List<Frame> frames() {
                return List.of();
            }
        }

        /**
         * After the play's handlers at a flush: the handlers of the roles {@code include_role} brought in so far,
         * which the strategy walks as it walks an include ({@link PlayBatch#includedHandlers}).
         */
        record IncludedHandlers() implements Step {
            public List<Frame> frames() {
                return List.of();
            }
        }

        /** The end of a block: decides, per host, whether its failure was rescued or travels outwards. */
        record EndBlock(Scope scope, List<Frame> frames) implements Step {}
    }

    final List<Step> steps = new ArrayList<>();
    private final Play play;
    private final TagFilter tags;

    /** The steps of an included task file, nested in the blocks the include sat in ({@code frames}). */
    static List<Step> included(Play play, List<TaskItem> items, List<Frame> frames, TagFilter tags) {
        PlayProgram p = new PlayProgram(play, tags, frames);
        p.add(items, frames);
        return List.copyOf(p.steps);
    }

    /** An empty program for {@link #included}: no fact gathering, no final handler flush. */
    private PlayProgram(Play play, TagFilter tags, List<Frame> unused) {
        this.play = play;
        this.tags = tags;
    }

    PlayProgram(Play play, TagFilter tags) {
        this.play = play;
        this.tags = tags;
        if (play.gatherFacts()) steps.add(new Step.GatherFacts());
        add(play.tasks(), List.of());
        flushHandlers();
    }

    private void add(List<TaskItem> items, List<Frame> frames) {
        for (TaskItem item : items) {
            switch (item) {
                case Task t when t.module().equals("meta")
                        && "flush_handlers".equals(t.args().get("_raw_params")) -> flushHandlers();
                case Task t -> {
                    if (tags.selects(t.keywords().tags())) steps.add(new Step.RunTask(t, frames));
                }
                case Block b -> {
                    Scope scope = new Scope(SCOPES.incrementAndGet(), !b.rescue().isEmpty(), b.rescueUnreachable());
                    add(b.block(), with(frames, new Frame(scope, Section.BLOCK)));
                    add(b.rescue(), with(frames, new Frame(scope, Section.RESCUE)));
                    add(b.always(), with(frames, new Frame(scope, Section.ALWAYS)));
                    steps.add(new Step.EndBlock(scope, frames));
                }
            }
        }
    }

    private void flushHandlers() {
        List<Task> handlers = play.handlers();
        for (int i = 0; i < handlers.size(); i++) {
            Task h = handlers.get(i);
            List<String> topics = new ArrayList<>(h.handlerTopics());
            for (Task later : handlers.subList(i + 1, handlers.size())) {
                if (h.name() != null && h.name().equals(later.name())) {
                    topics.remove(h.name());
                    break;
                }
            }
            steps.add(new Step.RunHandler(h, List.copyOf(topics)));
        }
        steps.add(new Step.IncludedHandlers());
    }

    private static List<Frame> with(List<Frame> frames, Frame f) {
        List<Frame> out = new ArrayList<>(frames);
        out.add(f);
        return List.copyOf(out);
    }
}
