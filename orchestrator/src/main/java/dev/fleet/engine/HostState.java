package dev.fleet.engine;

import dev.fleet.engine.PlayProgram.Frame;
import dev.fleet.engine.PlayProgram.Scope;
import dev.fleet.engine.PlayProgram.Step;
import dev.fleet.playbook.RoleRef;
import dev.fleet.playbook.Task;
import dev.fleet.result.HostStats;
import dev.fleet.result.TaskStatus;
import dev.fleet.transport.HostSession;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One host during a run. Touched by the event loop and by the one virtual thread running this host's current
 * task, never by two at once: a host has at most one task in flight, and handing over through the executor and
 * {@code runOnContext} orders the accesses.
 */
final class HostState {
    final String name;
    /**
     * Registered results and facts ({@code set_fact}, {@code setup}). Above play vars, below extra vars. Other
     * hosts' tasks read it through {@code hostvars}, so it is synchronized; iterate only a {@link #factsSnapshot}.
     */
    final Map<String, Object> hostFacts = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    /** What this host's last task set: its registered result and its facts (shared by {@code run_once}). */
    Map<String, Object> lastSet = Map.of();
    /**
     * What the last task set beyond {@link #lastSet}, by host: its include_vars values, and facts it set on another
     * host ({@code delegate_facts}). A cluster worker sends them to the coordinator's copy of those hosts.
     */
    Map<String, HostFacts> lastUpdates = Map.of();
    /** What the host's last include ({@code include_tasks}, {@code include_role}) brought in, waiting to be run. */
    List<Included> pendingIncludes = List.of();
    /** The last task that failed in a block, and its result: {@code ansible_failed_task}/{@code _result}. */
    volatile Map<String, Object> failedTask;
    volatile Map<String, Object> failedResult;
    /** Handlers notified and not yet run. */
    final Set<String> notified = new LinkedHashSet<>();
    volatile HostSession session;
    volatile String loginUser;
    HostStats stats = HostStats.EMPTY;
    /** Set once the host failed for good or was unreachable: it runs no more tasks in this run. */
    TaskStatus out;
    /** {@code meta: end_host}/{@code end_play}: no more tasks in this play. */
    boolean endedPlay;

    /** Per block: failed in its block section, in rescue, in always; the block section's failure lost the host. */
    private final Map<Integer, boolean[]> blocks = new HashMap<>();

    HostState(String name) {
        this.name = name;
    }

    /** A copy of the host's facts and registered results, safe to read while its task adds more. */
    /**
     * What {@code include_vars} loaded on this host: kept apart from {@link #hostFacts} because Ansible ranks it
     * below {@code set_fact} and registered results whatever the order they ran in. Synchronized like hostFacts.
     */
    final Map<String, Object> includedVars = java.util.Collections.synchronizedMap(new LinkedHashMap<>());

    Map<String, Object> includedVarsSnapshot() {
        synchronized (includedVars) {
            return new LinkedHashMap<>(includedVars);
        }
    }

    /**
     * Defaults and vars of the roles this host included with {@code public: true} in the current play: from the
     * include on, every later task of the play sees them (at the level of the play's roles' defaults and vars).
     */
    private final Map<String, Object> publicDefaults = new LinkedHashMap<>();
    private final Map<String, Object> publicVars = new LinkedHashMap<>();

    synchronized void publicRoles(Map<String, Object> defaults, Map<String, Object> vars) {
        publicDefaults.putAll(defaults);
        publicVars.putAll(vars);
    }

    /** The public roles' variables as a cluster ships them: {@code defaults} and {@code vars}. */
    synchronized Map<String, Object> publicRoles() {
        return Map.of("defaults", new LinkedHashMap<>(publicDefaults), "vars", new LinkedHashMap<>(publicVars));
    }

    /** Replaces the public roles' variables with what {@link #publicRoles()} gave (on a cluster worker). */
    @SuppressWarnings("unchecked")
    synchronized void replacePublicRoles(Map<String, Object> shipped) {
        publicDefaults.clear();
        publicVars.clear();
        if (shipped.get("defaults") instanceof Map<?, ?> d) publicDefaults.putAll((Map<String, Object>) d);
        if (shipped.get("vars") instanceof Map<?, ?> v) publicVars.putAll((Map<String, Object>) v);
    }

    synchronized Map<String, Object> publicDefaults() {
        return new LinkedHashMap<>(publicDefaults);
    }

    synchronized Map<String, Object> publicVars() {
        return new LinkedHashMap<>(publicVars);
    }

    Map<String, Object> factsSnapshot() {
        synchronized (hostFacts) {
            return new LinkedHashMap<>(hostFacts);
        }
    }

    /** {@code meta: clear_facts}: the host's facts go; set_fact values and registered results stay. */
    void clearFacts() {
        synchronized (hostFacts) {
            hostFacts.keySet().removeIf(k -> k.equals("ansible_facts") || k.startsWith("ansible_"));
        }
    }

    boolean active() {
        return out == null;
    }

    /** {@code meta: clear_host_errors}: a host that failed (not one that was unreachable) takes part again. */
    void clearFailure() {
        if (out == TaskStatus.FAILED) setOut(null);
    }

    /**
     * Told when the flow puts this host out or lets it back in (a clustered run passes that on to the workers, whose
     * copy of the host gives {@code ansible_play_hosts}); null when nobody asked. Event-loop context.
     */
    private java.util.function.Consumer<HostState> activityWatcher;

    void watchActivity(java.util.function.Consumer<HostState> watcher) {
        this.activityWatcher = watcher;
    }

    private void setOut(TaskStatus status) {
        boolean was = active();
        out = status;
        if (was != active() && activityWatcher != null) activityWatcher.accept(this);
    }

    /** {@code force_handlers}: notified handlers still run here after this host failed in the play. */
    private boolean forceHandlers;

    /**
     * Role uses that ran a task on this host in the current play, by identity ({@link RoleRef#once()}): a later use
     * with the same identity does not run here, as Ansible runs a role once per play and host.
     */
    private final Map<String, RoleRef> rolesRun = new HashMap<>();

    void startPlay(boolean forceHandlers) {
        this.forceHandlers = forceHandlers;
        rolesRun.clear();
        replacePublicRoles(Map.of()); // what a public include shared ends with its play, as in Ansible
        endedPlay = false;
        notified.clear();
        handlersRan.clear();
        blocks.clear();
    }

    /** Whether this host runs {@code step}, given where its blocks stand. */
    /** Whether this host may still take a step of the current play (a handler, under force_handlers). */
    boolean walking() {
        return (active() || (forceHandlers && out == TaskStatus.FAILED)) && !endedPlay;
    }

    boolean takes(Step step) {
        if (step instanceof Step.IncludedHandlers) return walking();
        if (!active() && walking() && step instanceof Step.RunHandler h) return isNotified(h);
        if (!active() || endedPlay) return false;
        for (Frame f : step.frames()) {
            boolean[] st = blocks.getOrDefault(f.scope().id(), new boolean[4]);
            boolean ok = switch (f.section()) {
                case BLOCK -> !st[0];
                case RESCUE -> st[0] && !st[1];
                case ALWAYS -> !st[2];
            };
            if (!ok) return false;
        }
        if (step instanceof Step.EndBlock) return true;
        if (step instanceof Step.RunHandler h) return isNotified(h);
        if (step instanceof Step.RunTask t && t.task().role() != null && t.task().role().once() != null
                && !t.task().role().repeats()) {
            RoleRef first = rolesRun.get(t.task().role().once());
            return first == null || first == t.task().role();
        }
        return true;
    }

    /** A task ran here (not skipped): its role use counts as run on this host. */
    void taskRan(Task task, TaskStatus status) {
        RoleRef role = task.role();
        if (role != null && role.once() != null && status != TaskStatus.SKIPPED) {
            rolesRun.putIfAbsent(role.once(), role);
        }
    }

    private boolean isNotified(Step.RunHandler h) {
        return !handlersRan.contains(h) && h.topics().stream().anyMatch(notified::contains);
    }

    /** Handlers that ran since their topics were last notified: every handler on a topic runs, each once. */
    private final Set<Step.RunHandler> handlersRan = new java.util.HashSet<>();

    /** A changed task notified these handler names or {@code listen} topics. */
    void notify(java.util.Collection<String> topics) {
        notified.addAll(topics);
        handlersRan.removeIf(h -> h.topics().stream().anyMatch(topics::contains));
    }

    void handlerRan(Step.RunHandler h) {
        handlersRan.add(h);
    }

    /**
     * A task in {@code frames} failed on this host (not ignored). Inside a block the failure is held by the
     * innermost block (rescue/always decide later); outside any block the host is out. An unreachable host is out
     * too, unless a block around the task says {@code rescue_unreachable}: then the innermost such block holds it
     * in its block section (blocks inside that one are left at once, their always sections too).
     */
    void failed(List<Frame> frames, TaskStatus status) {
        if (status == TaskStatus.UNREACHABLE) {
            for (int i = frames.size() - 1; i >= 0; i--) {
                Frame f = frames.get(i);
                if (f.scope().rescueUnreachable() && f.section() == PlayProgram.Section.BLOCK) {
                    boolean[] st = blocks.computeIfAbsent(f.scope().id(), k -> new boolean[4]);
                    st[0] = true;
                    st[3] = true;
                    return;
                }
            }
        }
        if (status == TaskStatus.UNREACHABLE || frames.isEmpty()) {
            setOut(status);
            return;
        }
        Frame inner = frames.get(frames.size() - 1);
        boolean[] st = blocks.computeIfAbsent(inner.scope().id(), k -> new boolean[4]);
        st[inner.section().ordinal()] = true;
    }

    /** How a block ended for a host, for the recap. */
    enum BlockEnd { PLAIN, RESCUED, RESCUED_UNREACHABLE }

    /**
     * The end of a block: a failure (or, under {@code rescue_unreachable}, a lost host) rescued is forgiven and
     * counts as rescued; one not rescued, or a failure in always, fails the host at the block's own place in its
     * parent.
     */
    BlockEnd endBlock(Scope scope, List<Frame> frames) {
        boolean[] st = blocks.remove(scope.id());
        if (st == null) return BlockEnd.PLAIN;
        boolean rescued = st[0] && scope.hasRescue() && !st[1];
        boolean unrescued = (st[0] && !rescued) || st[2];
        if (unrescued) failed(frames, TaskStatus.FAILED);
        if (!rescued || st[2]) return BlockEnd.PLAIN;
        return st[3] ? BlockEnd.RESCUED_UNREACHABLE : BlockEnd.RESCUED;
    }
}
