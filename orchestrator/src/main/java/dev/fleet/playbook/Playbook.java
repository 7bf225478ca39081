package dev.fleet.playbook;

import java.util.List;

/** A parsed, validated playbook: the file it came from and its plays in order. */
public record Playbook(String file, List<Play> plays) {
    public Playbook {
        plays = List.copyOf(plays);
    }

    public int taskCount() {
        return plays.stream().mapToInt(p -> p.allTasks().size()).sum();
    }
}
