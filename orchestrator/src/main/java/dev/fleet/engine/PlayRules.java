package dev.fleet.engine;

import dev.fleet.engine.PlayProgram.Step;
import dev.fleet.playbook.Keywords;
import dev.fleet.playbook.Play;
import dev.fleet.playbook.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The play-level rules a run applies between steps and batches: host order, failure policy, step tasks. */
final class PlayRules {
    private PlayRules() {}

    /** The play's {@code order}: which host is taken first (and so forms the first serial batch). */
    static List<String> ordered(List<String> hosts, String order) {
        List<String> out = new ArrayList<>(hosts);
        switch (order) {
            case "reverse_inventory" -> java.util.Collections.reverse(out);
            case "sorted" -> out.sort(null);
            case "reverse_sorted" -> out.sort(java.util.Comparator.reverseOrder());
            case "shuffle" -> java.util.Collections.shuffle(out);
            default -> { }
        }
        return out;
    }

    /** Why the play must stop after this batch, or null. */
    static String abortReason(Play play, List<HostState> batch, boolean fatalTaskFailed) {
        long failed = batch.stream().filter(h -> !h.active()).count();
        if (failed > 0 && (play.rolling().anyErrorsFatal() || fatalTaskFailed)) {
            return "any_errors_fatal: " + failed + " host(s) failed, so the play stops for every host";
        }
        Integer max = play.rolling().maxFailPercentage();
        if (max != null && failed * 100.0 / batch.size() > max) {
            return String.format("max_fail_percentage %d%% exceeded: %d of %d hosts in the batch failed",
                    max, failed, batch.size());
        }
        return null;
    }

    /** The task a step runs; fact gathering is the {@code setup} module under Ansible's name for it. */
    static Task taskOf(Play play, Step step) {
        return switch (step) {
            case Step.RunTask t -> t.task();
            case Step.RunHandler h -> h.handler();
            case Step.GatherFacts g -> new Task("Gathering Facts", "setup", Map.of(), Keywords.NONE,
                    play.position());
            case Step.EndBlock e -> throw new IllegalStateException("an end of block runs no task");
            case Step.IncludedHandlers i -> throw new IllegalStateException("included handlers are steps of their own");
        };
    }
}
