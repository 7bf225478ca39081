package dev.fleet.engine;

import dev.fleet.engine.PlayProgram.Step;
import dev.fleet.playbook.Task;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

        RunOnce(HostState ran) {
            this.ran = ran;
        }
    }

    /** One walk of one batch; at most {@code maxWalking} hosts are between their first and last step at once. */
    static final class Walk {
        final PlayBatch batch;
        final Runnable done;
        final int maxWalking;
        final boolean[] announced;
        final Map<Integer, RunOnce> runOnce = new HashMap<>();
        final Deque<HostState> notStarted;
        int walking;
        int hostsLeft;

        Walk(PlayBatch batch, Runnable done, int maxWalking) {
            this.batch = batch;
            this.done = done;
            this.maxWalking = maxWalking;
            this.announced = new boolean[batch.steps().size()];
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
                walk(notStarted.poll(), 0);
            }
        }

        private void hostDone() {
            walking--;
            if (--hostsLeft == 0) done.run();
            else admit();
        }

        private void walk(HostState h, int from) {
            List<Step> steps = batch.steps();
            int index = from;
            while (!batch.cancelled()) {
                if (index >= steps.size() || !h.walking()) {
                    hostDone();
                    return;
                }
                int at = index++;
                Step step = steps.get(at);
                if (!h.takes(step)) continue;
                if (step instanceof Step.EndBlock end) {
                    batch.endBlock(h, end);
                    continue;
                }
                Task task = batch.taskOf(step);
                int next = index;
                if (task.keywords().runOnce()) {
                    RunOnce once = runOnce.get(at);
                    if (once != null) {
                        if (once.done) {
                            batch.shareRunOnce(once.ran, List.of(h));
                            continue;
                        }
                        once.waiting.add(() -> {
                            batch.shareRunOnce(once.ran, List.of(h));
                            walk(h, next);
                        });
                        return;
                    }
                    RunOnce mine = new RunOnce(h);
                    runOnce.put(at, mine);
                    announceOnce(at, step, 1);
                    batch.run(h, step).onComplete(ar -> {
                        mine.done = true;
                        afterStep();
                        mine.waiting.forEach(Runnable::run);
                        mine.waiting.clear();
                        walk(h, next);
                    });
                    return;
                }
                announceOnce(at, step, batch.hosts().size());
                batch.run(h, step).onComplete(ar -> {
                    afterStep();
                    walk(h, next);
                });
                return;
            }
        }

        private void announceOnce(int at, Step step, int hostCount) {
            if (announced[at]) return;
            announced[at] = true;
            batch.announce(step, hostCount);
        }

        private void afterStep() {
            if (batch.fatalFailure()) batch.hosts().forEach(x -> x.endedPlay = true);
        }
    }
}
