package dev.fleet.engine;

import dev.fleet.playbook.Play;
import dev.fleet.playbook.Playbook;
import dev.fleet.playbook.Task;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Names every task of a playbook by (play index, task index) so that two JVMs that parsed the same files agree on
 * which task is meant: a play's tasks in {@link Play#allTasks()} order, then its handlers. Fact gathering, which
 * has no task in the playbook, is {@link #GATHER_FACTS}.
 */
final class TaskIndex {
    static final int GATHER_FACTS = -1;

    private final List<Play> plays;
    private final List<List<Task>> tasks = new ArrayList<>();
    private final Map<Task, Integer> index = new IdentityHashMap<>();

    TaskIndex(Playbook playbook) {
        this.plays = playbook.plays();
        for (Play p : plays) {
            List<Task> all = new ArrayList<>(p.allTasks());
            all.addAll(p.handlers());
            tasks.add(all);
            for (int i = 0; i < all.size(); i++) index.putIfAbsent(all.get(i), i);
        }
    }

    int play(Play play) {
        for (int i = 0; i < plays.size(); i++) if (plays.get(i) == play) return i;
        throw new IllegalArgumentException("play '" + play.displayName() + "' is not in this playbook");
    }

    /** The task's index, GATHER_FACTS for the synthetic fact-gathering task, or -2 for a task not in the files. */
    int task(Task task) {
        if (task.module().equals("setup") && task.name() != null && task.name().equals("Gathering Facts")
                && !index.containsKey(task)) {
            return GATHER_FACTS;
        }
        return index.getOrDefault(task, -2);
    }

    Play play(int i) {
        return plays.get(i);
    }

    Task task(int play, int i) {
        return i == GATHER_FACTS ? PlayRules.taskOf(plays.get(play), new PlayProgram.Step.GatherFacts())
                : tasks.get(play).get(i);
    }
}
