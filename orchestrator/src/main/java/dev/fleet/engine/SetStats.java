package dev.fleet.engine;

import dev.fleet.result.CustomStats;
import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import java.util.List;
import java.util.Map;

/**
 * Custom stats: a result that carries {@code ansible_stats} ({@code data}, {@code per_host}, {@code aggregate}, as
 * the {@code set_stats} module returns them) adds its data to the run's stats, as Ansible's strategy does for a
 * result that neither failed nor was skipped; in a loop, item by item.
 */
final class SetStats {
    private SetStats() {}

    static CustomStats gather(CustomStats stats, String host, TaskOutcome o) {
        if (o.status() != TaskStatus.OK && o.status() != TaskStatus.CHANGED) return stats;
        CustomStats out = add(stats, host, o.data());
        if (o.data().get("results") instanceof List<?> items) {
            for (Object item : items) {
                if (item instanceof Map<?, ?> r && !Boolean.TRUE.equals(r.get("failed"))
                        && !Boolean.TRUE.equals(r.get("skipped"))) {
                    out = add(out, host, r);
                }
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static CustomStats add(CustomStats stats, String host, Map<?, ?> result) {
        if (!(result.get("ansible_stats") instanceof Map<?, ?> s) || !(s.get("data") instanceof Map<?, ?> data)
                || data.isEmpty()) {
            return stats;
        }
        boolean perHost = !Boolean.FALSE.equals(s.get("per_host"));
        boolean aggregate = Boolean.TRUE.equals(s.get("aggregate"));
        return stats.with(perHost ? host : null, (Map<String, Object>) data, aggregate);
    }
}
