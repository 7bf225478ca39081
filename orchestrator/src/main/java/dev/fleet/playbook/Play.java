package dev.fleet.playbook;

import dev.fleet.yaml.SourcePosition;
import java.util.List;
import java.util.Map;

/**
 * A play: which hosts, with which variables, run which tasks, and which handlers they may notify.
 *
 * @param vars     play {@code vars} with {@code vars_files} loaded on top
 * @param order    the order hosts are taken in: {@code inventory}, {@code reverse_inventory}, {@code sorted},
 *                 {@code reverse_sorted} or {@code shuffle}
 * @param forceHandlers notified handlers run on a host even after it failed ({@code force_handlers})
 * @param strategy the name of the strategy that orders the hosts' work ({@code linear}, {@code free}, ...), as
 *                 the engine registers them
 * @param roles    what the play's roles share with all its tasks
 */
public record Play(String name, String hosts, Map<String, Object> vars, List<TaskItem> tasks, List<Task> handlers,
        String strategy, boolean gatherFacts, String remoteUser, Rolling rolling, String order, boolean forceHandlers,
        SourcePosition position, Roles roles) {

    /** A play without roles. */
    public Play(String name, String hosts, Map<String, Object> vars, List<TaskItem> tasks, List<Task> handlers,
            String strategy, boolean gatherFacts, String remoteUser, Rolling rolling, String order,
            boolean forceHandlers, SourcePosition position) {
        this(name, hosts, vars, tasks, handlers, strategy, gatherFacts, remoteUser, rolling, order, forceHandlers,
                position, Roles.NONE);
    }

    /**
     * The play's roles as every task of the play sees them (Ansible loads static roles before the play runs, so
     * even {@code pre_tasks} see them).
     *
     * @param names          {@code role_names}: the roles the play uses ({@code roles:} and {@code import_role}),
     *                       in order, repeated when used again
     * @param dependentNames {@code ansible_dependent_role_names}: the roles those depend on
     * @param defaults       every role's {@code defaults/}, below inventory variables
     * @param vars           every role's {@code vars/}, above play vars
     */
    public record Roles(List<String> names, List<String> dependentNames, Map<String, Object> defaults,
            Map<String, Object> vars) {
        public static final Roles NONE = new Roles(List.of(), List.of(), Map.of(), Map.of());

        public Roles {
            names = List.copyOf(names);
            dependentNames = List.copyOf(dependentNames);
            defaults = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(defaults));
            vars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
        }
    }

    /** Host orders a play may ask for. */
    public static final java.util.Set<String> ORDERS = java.util.Set.of("inventory", "reverse_inventory", "sorted",
            "reverse_sorted", "shuffle");

    /**
     * Rolling and failure policy.
     *
     * @param serial             batch sizes: numbers or percentages, the last one repeating; empty: one batch
     * @param maxFailPercentage  abort the play when more than this share of a batch failed; null: never
     * @param anyErrorsFatal     one failed host ends the play for every host
     */
    public record Rolling(List<String> serial, Integer maxFailPercentage, boolean anyErrorsFatal) {
        public static final Rolling NONE = new Rolling(List.of(), null, false);

        public Rolling {
            serial = List.copyOf(serial);
        }

        /** Splits hosts into batches as Ansible's serial does. */
        public <T> List<List<T>> batches(List<T> hosts) {
            List<List<T>> out = new java.util.ArrayList<>();
            int i = 0;
            int step = 0;
            while (i < hosts.size()) {
                int size = serial.isEmpty() ? hosts.size()
                        : size(serial.get(Math.min(step, serial.size() - 1)), hosts.size());
                out.add(List.copyOf(hosts.subList(i, Math.min(hosts.size(), i + size))));
                i += size;
                step++;
            }
            return out;
        }

        static int size(String spec, int total) {
            String s = spec.strip();
            if (s.endsWith("%")) {
                double pct = Double.parseDouble(s.substring(0, s.length() - 1));
                return Math.max(1, (int) Math.floor(total * pct / 100.0));
            }
            int n = Integer.parseInt(s);
            return n <= 0 ? total : n;
        }
    }

    public Play {
        vars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
        tasks = List.copyOf(tasks);
        handlers = List.copyOf(handlers);
    }

    public String displayName() {
        return name == null || name.isBlank() ? hosts : name;
    }

    /** Every task in the play, blocks opened, in order (for listing and counting). */
    public List<Task> allTasks() {
        return tasksOf(tasks);
    }

    /** The tasks of {@code items}, blocks opened (block, rescue, always), in order. */
    public static List<Task> tasksOf(List<TaskItem> items) {
        List<Task> out = new java.util.ArrayList<>();
        collect(items, out);
        return out;
    }

    private static void collect(List<TaskItem> items, List<Task> out) {
        for (TaskItem i : items) {
            switch (i) {
                case Task t -> out.add(t);
                case Block b -> {
                    collect(b.block(), out);
                    collect(b.rescue(), out);
                    collect(b.always(), out);
                }
            }
        }
    }
}
