package dev.fleet.playbook;

import dev.fleet.yaml.SourcePosition;
import java.util.List;

/**
 * {@code block}/{@code rescue}/{@code always}: rescue runs on hosts where a block task failed, always runs
 * either way. The block's own keywords have already been passed down to its tasks.
 */
public record Block(String name, List<TaskItem> block, List<TaskItem> rescue, List<TaskItem> always,
        SourcePosition position) implements TaskItem {
    public Block {
        block = List.copyOf(block);
        rescue = List.copyOf(rescue);
        always = List.copyOf(always);
    }
}
