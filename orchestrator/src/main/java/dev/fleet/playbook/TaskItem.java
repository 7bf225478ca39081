package dev.fleet.playbook;

import dev.fleet.yaml.SourcePosition;

/** One entry of a task list: a task, or a block of tasks with rescue and always sections. */
public sealed interface TaskItem permits Task, Block {
    SourcePosition position();
}
