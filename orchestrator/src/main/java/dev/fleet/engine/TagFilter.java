package dev.fleet.engine;

import java.util.Set;

/** {@code --tags} / {@code --skip-tags} with Ansible's special tags always, never, tagged, untagged, all. */
public record TagFilter(Set<String> only, Set<String> skip) {
    public TagFilter {
        only = Set.copyOf(only);
        skip = Set.copyOf(skip);
    }

    public boolean selects(Set<String> taskTags) {
        if (taskTags.stream().anyMatch(skip::contains)) return false;
        if (skip.contains("tagged") && !taskTags.isEmpty()) return false;
        if (skip.contains("untagged") && taskTags.isEmpty()) return false;
        if (only.isEmpty() || only.contains("all")) {
            return !taskTags.contains("never") || taskTags.stream().anyMatch(only::contains);
        }
        if (taskTags.contains("always")) return true;
        if (taskTags.contains("never") && taskTags.stream().noneMatch(t -> !t.equals("never") && only.contains(t))
                && !only.contains("never")) {
            return false; // 'tagged' does not bring back a never task: only one of its own tags does
        }
        if (only.contains("tagged") && !taskTags.isEmpty()) return true;
        if (only.contains("untagged") && taskTags.isEmpty()) return true;
        return taskTags.stream().anyMatch(only::contains);
    }
}
