package dev.fleet.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What changed between two runs: hosts newly failing and recovered, tasks whose status changed, and hosts that
 * only one of the runs touched. A task is matched by (host, play, task name); a name that occurs more than once
 * in a play is matched by occurrence ({@code "restart #2"}).
 */
public record RunDiff(RunSummary a, RunSummary b, List<HostChange> newlyFailing, List<HostChange> recovered,
        List<TaskChange> changedStatus, List<String> onlyInA, List<String> onlyInB) {

    /**
     * @param failedTasks the failed or unreachable tasks of the run where the host fails (B if newly failing, A if
     *                    recovered)
     */
    public record HostChange(String host, String statusA, String statusB, List<StoredRun.TaskRecord> failedTasks) {}

    public record TaskChange(String host, String play, String task, String statusA, String statusB) {}

    public static boolean failing(String hostStatus) {
        return "failed".equals(hostStatus) || "unreachable".equals(hostStatus);
    }

    public static RunDiff between(StoredRun a, StoredRun b) {
        List<HostChange> newlyFailing = new ArrayList<>();
        List<HostChange> recovered = new ArrayList<>();
        List<TaskChange> changed = new ArrayList<>();
        List<String> onlyInA = new ArrayList<>();
        List<String> onlyInB = new ArrayList<>();
        for (String host : a.hosts().keySet()) if (!b.hosts().containsKey(host)) onlyInA.add(host);
        for (var entry : b.hosts().entrySet()) {
            String host = entry.getKey();
            StoredRun.HostRecord hb = entry.getValue();
            StoredRun.HostRecord ha = a.hosts().get(host);
            if (ha == null) {
                onlyInB.add(host);
                continue;
            }
            if (failing(hb.status()) && !failing(ha.status())) {
                newlyFailing.add(new HostChange(host, ha.status(), hb.status(), failures(hb)));
            } else if (failing(ha.status()) && !failing(hb.status())) {
                recovered.add(new HostChange(host, ha.status(), hb.status(), failures(ha)));
            }
            Map<String, StoredRun.TaskRecord> tasksA = keyed(ha.tasks());
            for (var t : keyed(hb.tasks()).entrySet()) {
                StoredRun.TaskRecord ta = tasksA.get(t.getKey());
                if (ta != null && !ta.status().equals(t.getValue().status())) {
                    changed.add(new TaskChange(host, t.getValue().play(), taskName(t.getKey()), ta.status(),
                            t.getValue().status()));
                }
            }
        }
        return new RunDiff(a.summary(), b.summary(), newlyFailing, recovered, changed, onlyInA, onlyInB);
    }

    private static List<StoredRun.TaskRecord> failures(StoredRun.HostRecord h) {
        return h.tasks().stream().filter(t -> "failed".equals(t.status()) || "unreachable".equals(t.status()))
                .toList();
    }

    /** play + NUL + task name (+ " #n" for the n-th same-named task in the play). */
    private static Map<String, StoredRun.TaskRecord> keyed(List<StoredRun.TaskRecord> tasks) {
        Map<String, StoredRun.TaskRecord> out = new LinkedHashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        for (StoredRun.TaskRecord t : tasks) {
            String base = t.play() + "\0" + t.task();
            int n = seen.merge(base, 1, Integer::sum);
            out.put(n == 1 ? base : base + " #" + n, t);
        }
        return out;
    }

    private static String taskName(String key) {
        return key.substring(key.indexOf('\0') + 1);
    }
}
