package dev.fleet.playbook;

import dev.fleet.yaml.SourcePosition;
import java.util.List;

/**
 * {@code block}/{@code rescue}/{@code always}: rescue runs on hosts where a block task failed, always runs
 * either way. The block's own keywords have already been passed down to its tasks.
 *
 * @param rescueUnreachable {@code rescue_unreachable: true} (fleet's, not Ansible's): a host that becomes
 *                          unreachable in the block section stays in the play and runs the rescue, as a failed
 *                          host does; without it an unreachable host leaves the play, as in Ansible
 */
public record Block(String name, List<TaskItem> block, List<TaskItem> rescue, List<TaskItem> always,
        boolean rescueUnreachable, SourcePosition position) implements TaskItem {
    public Block {
        block = List.copyOf(block);
        rescue = List.copyOf(rescue);
        always = List.copyOf(always);
    }
}
