package dev.fleet.engine;

import dev.fleet.engine.PlayProgram.Step;
import dev.fleet.playbook.Task;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ansible's {@code free}: each host walks the play's steps at its own pace. A {@code run_once} step runs on the
 * first host to reach it; hosts that arrive while it runs wait for it, and every other host takes its result
 * (as under {@link LinearStrategy}) instead of running it.
 */
final class FreeStrategy implements Strategy {

    @Override
    public String name() {
        return "free";
    }

    @Override
    public void run(PlayBatch batch, Runnable done) {
        new Walk(batch, done, Integer.MAX_VALUE).start();
    }

    /** A run_once step: the host that runs it, and whether it is done or who waits for it. */
    private static final class RunOnce {
        final HostState ran;
        final List<Runnable> waiting = new ArrayList<>();
        boolean done;
        /** What the step set on {@link #ran}, taken when it ended: {@code ran} goes on to later steps meanwhile. */
        HostFacts result;

        RunOnce(HostState ran) {
            this.ran = ran;
        }
    }

    /** One walk of one batch; at most {@code maxWalking} hosts are between their first and last step at once. */
    static final class Walk {
        final PlayBatch batch;
        final Runnable done;
        final int maxWalking;
        final Set<Step> announced = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        final Map<Step, RunOnce> runOnce = new IdentityHashMap<>();
        final Deque<HostState> notStarted;
        int walking;
        int hostsLeft;

        Walk(PlayBatch batch, Runnable done, int maxWalking) {
            this.batch = batch;
            this.done = done;
            this.maxWalking = maxWalking;
            this.notStarted = new ArrayDeque<>(batch.hosts());
        }

        void start() {
            hostsLeft = notStarted.size();
            if (hostsLeft == 0) {
                done.run();
                return;
            }
            admit();
        }

        private void admit() {
            while (walking < maxWalking && !notStarted.isEmpty()) {
                walking++;
                walk(notStarted.poll(), batch.steps(), 0, this::hostDone);
            }
        }

        private void hostDone() {
            walking--;
            if (--hostsLeft == 0) done.run();
            else admit();
        }

        /** Walks {@code steps} from {@code from} on one host, then calls {@code end} (unless the run stops). */
        private void walk(HostState h, List<Step> steps, int from, Runnable end) {
            int index = from;
            while (!batch.cancelled()) {
                if (index >= steps.size() || !h.walking()) {
                    end.run();
                    return;
                }
                Step step = steps.get(index++);
                if (!h.takes(step)) continue;
                if (step instanceof Step.IncludedHandlers) {
                    List<PlayBatch.IncludeGroup> handlers = batch.includedHandlers(List.of(h));
                    if (handlers.isEmpty()) continue;
                    int next = index;
                    walkIncludes(h, handlers, 0, () -> walk(h, steps, next, end));
                    return;
                }
                if (step instanceof Step.EndBlock e) {
                    batch.endBlock(h, e);
                    continue;
                }
                Task task = batch.taskOf(step);
                int next = index;
                Runnable resume = () -> walk(h, steps, next, end);
                if (task.keywords().runOnce()) {
                    RunOnce once = runOnce.get(step);
                    if (once != null) {
                        if (once.done) {
                            batch.shareRunOnce(once.result, List.of(h));
                            continue;
                        }
                        once.waiting.add(() -> {
                            batch.shareRunOnce(once.result, List.of(h));
                            resume.run();
                        });
                        return;
                    }
                    RunOnce mine = new RunOnce(h);
                    runOnce.put(step, mine);
                    announceOnce(step, 1);
                    batch.run(h, step).onComplete(ar -> {
                        mine.result = batch.runOnceResult(h);
                        mine.done = true;
                        afterStep();
                        mine.waiting.forEach(Runnable::run);
                        mine.waiting.clear();
                        resume.run();
                    });
                    return;
                }
                announceOnce(step, batch.hosts().size());
                batch.run(h, step).onComplete(ar -> {
                    afterStep();
                    if (PlayBatch.isInclude(step)) walkIncludes(h, batch.takeIncludes(List.of(h), step), 0, resume);
                    else resume.run();
                });
                return;
            }
        }

        /** This host's included files, one after the other, then {@code then}. */
        private void walkIncludes(HostState h, List<PlayBatch.IncludeGroup> groups, int at, Runnable then) {
            if (at >= groups.size()) {
                then.run();
                return;
            }
            walk(h, groups.get(at).steps(), 0, () -> walkIncludes(h, groups, at + 1, then));
        }

        private void announceOnce(Step step, int hostCount) {
            if (announced.add(step)) batch.announce(step, hostCount);
        }

        private void afterStep() {
            if (batch.fatalFailure()) batch.hosts().forEach(x -> x.endedPlay = true);
        }
    }
}
