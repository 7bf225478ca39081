package dev.fleet.engine;

import dev.fleet.engine.PlayProgram.Step;
import dev.fleet.playbook.PlaybookParser;
import dev.fleet.playbook.Task;
import dev.fleet.result.TaskResult;
import io.vertx.core.Future;
import java.util.List;

/**
 * One batch of a play's hosts ({@code serial}), as a {@link Strategy} sees it: the steps to walk, the hosts to
 * walk them, and the operations a strategy orders. Confined to the run's event-loop context.
 */
interface PlayBatch {

    /** The play compiled into steps, in the order every host walks them. */
    List<Step> steps();

    /** This batch's hosts (some may already be out: failed, unreachable or ended). */
    List<HostState> hosts();

    /** How many host-tasks may be in flight at once ({@code --forks}). */
    int forks();

    /** The run was cancelled: start nothing more. */
    boolean cancelled();

    /** The task a step runs ({@link Step.EndBlock} runs none). */
    Task taskOf(Step step);

    /** Publishes the task banner once per step, with how many hosts it is for. */
    void announce(Step step, int hostCount);

    /**
     * Runs a task step on one host, within the fork and throttle limits, and records its result (stats, block
     * state, handlers notified, meta). Completes on the event loop.
     */
    Future<TaskResult> run(HostState host, Step step);

    /** Closes a block on one host: no host work, decided from the host's block state. */
    void endBlock(HostState host, Step.EndBlock end);

    /**
     * What {@code ran} set in the step it has just run (its registered result, its facts, what an include_vars
     * loaded): what {@code run_once} gives the hosts that did not run the step. Taken when the step ends, since the
     * host goes on to other steps (under {@code free}, hosts may reach the step much later).
     */
    HostFacts runOnceResult(HostState ran);

    /** {@code run_once}: the hosts that did not run the step get what it set ({@link #runOnceResult}), as Ansible. */
    void shareRunOnce(HostFacts set, List<HostState> others);

    /** {@code any_errors_fatal} and a host of this batch has failed: no host starts another step. */
    boolean fatalFailure();

    /** The same batch walking other steps with some of its hosts (an included file's steps). */
    PlayBatch view(List<Step> steps, List<HostState> hosts);

    /**
     * After an include step ({@link #isInclude}): what those hosts included, grouped so that hosts that included
     * the same file (or role) with the same variables walk it together, in the order first included. Clears the
     * hosts' pending includes; an included role's handlers join {@link #includedHandlers}.
     */
    List<IncludeGroup> takeIncludes(List<HostState> hosts, Step include);

    /**
     * At a flush ({@link Step.IncludedHandlers}): the handlers of the roles {@code include_role} brought into this
     * batch so far, as one group for {@code hosts} (each runs those it was notified); empty when there are none.
     */
    List<IncludeGroup> includedHandlers(List<HostState> hosts);

    /** An included file's steps and the hosts that run them. */
    record IncludeGroup(List<Step> steps, List<HostState> hosts) {}

    /**
     * Whether a step (a task or a handler) is an {@code include_tasks} or {@code include_role}, after which the
     * strategy walks what the hosts included.
     */
    static boolean isInclude(Step step) {
        Task task = switch (step) {
            case Step.RunTask t -> t.task();
            case Step.RunHandler h -> h.handler(); // a handler may include too: what it includes runs at once
            default -> null;
        };
        return task != null && (task.module().equals(PlaybookParser.INCLUDE)
                || task.module().equals(PlaybookParser.INCLUDE_ROLE));
    }
}
