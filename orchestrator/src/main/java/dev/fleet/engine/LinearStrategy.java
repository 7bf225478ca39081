package dev.fleet.engine;

import dev.fleet.engine.PlayProgram.Step;
import dev.fleet.playbook.Task;
import java.util.List;

/** Ansible's default: every host finishes step N before any host starts step N+1. */
final class LinearStrategy implements Strategy {

    @Override
    public String name() {
        return "linear";
    }

    @Override
    public void run(PlayBatch batch, Runnable done) {
        new Walk(batch, done).next();
    }

    /** One walk of one batch; its fields change only on the event loop. */
    private static final class Walk {
        final PlayBatch batch;
        final Runnable done;
        int index;
        int pending;

        Walk(PlayBatch batch, Runnable done) {
            this.batch = batch;
            this.done = done;
        }

        /** The included files, one group after the other, each in lockstep over its hosts; then the next step. */
        void walkIncludes(List<PlayBatch.IncludeGroup> groups, int at) {
            if (at >= groups.size()) {
                if (batch.fatalFailure()) done.run();
                else next();
                return;
            }
            PlayBatch.IncludeGroup g = groups.get(at);
            new Walk(batch.view(g.steps(), g.hosts()), () -> walkIncludes(groups, at + 1)).next();
        }

        void next() {
            List<Step> steps = batch.steps();
            while (!batch.cancelled()) {
                if (index >= steps.size() || batch.hosts().stream().noneMatch(HostState::walking)) {
                    done.run();
                    return;
                }
                Step step = steps.get(index++);
                List<HostState> taking = batch.hosts().stream().filter(h -> h.takes(step)).toList();
                if (step instanceof Step.IncludedHandlers) {
                    List<PlayBatch.IncludeGroup> handlers = batch.includedHandlers(taking);
                    if (handlers.isEmpty()) continue;
                    walkIncludes(handlers, 0);
                    return;
                }
                if (step instanceof Step.EndBlock end) {
                    taking.forEach(h -> batch.endBlock(h, end));
                    continue;
                }
                if (taking.isEmpty()) continue; // e.g. a rescue no host needs: no banner, as in Ansible
                Task task = batch.taskOf(step);
                List<HostState> others = List.of();
                if (task.keywords().runOnce()) {
                    others = taking.subList(1, taking.size());
                    taking = taking.subList(0, 1);
                }
                batch.announce(step, taking.size());
                pending = taking.size();
                List<HostState> shareWith = others;
                List<HostState> ran = taking;
                for (HostState h : taking) {
                    batch.run(h, step).onComplete(ar -> {
                        if (ar.succeeded() && !shareWith.isEmpty()) {
                            batch.shareRunOnce(batch.runOnceResult(h), shareWith);
                        }
                        if (--pending == 0) {
                            if (batch.fatalFailure()) done.run();
                            else if (PlayBatch.isInclude(step)) walkIncludes(batch.takeIncludes(ran, step), 0);
                            else next();
                        }
                    });
                }
                return;
            }
        }
    }
}
