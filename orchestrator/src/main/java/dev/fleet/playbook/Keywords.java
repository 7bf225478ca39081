package dev.fleet.playbook;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Ansible task keywords fleet implements, already combined with what the enclosing blocks and the play
 * pass down ({@code when} conditions are ANDed, tags are united, {@code become} and {@code no_log} inherited).
 *
 * @param when        conditions that must all be true, outermost first; evaluated per loop item
 * @param loop        a list, or a template string that renders to a list ({@code loop}/{@code with_items}); null
 * @param loopVar     name of the loop variable ({@code loop_control.loop_var}, default {@code item})
 * @param changedWhen conditions overriding the module's changed status (empty: module decides)
 * @param failedWhen  conditions overriding the module's failed status (empty: module decides)
 * @param until       retry until these hold; {@code retries} times (default 3), {@code delay} seconds apart
 * @param become      run through sudo as {@code becomeUser}; null means not set here (inherit)
 * @param noLog       hide this task's output and arguments from every report
 * @param vars        task (and block) variables
 * @param listen      for handlers: extra topics this handler answers to
 * @param throttle    at most this many hosts run this task at once (0: only --forks limits)
 * @param runOnce     run on the first host only; its result is shared with the others
 * @param delegateTo  run the module on this host instead ({@code localhost} only), or null
 */
public record Keywords(List<String> when, Object loop, String loopVar, String register, boolean ignoreErrors,
        List<String> changedWhen, List<String> failedWhen, List<String> until, int retries, int delaySeconds,
        List<String> notifies, Set<String> tags, Boolean become, String becomeUser, boolean noLog,
        Map<String, Object> vars, List<String> listen, int throttle, boolean runOnce, String delegateTo) {

    public static final Keywords NONE = new Keywords(List.of(), null, "item", null, false, List.of(), List.of(),
            List.of(), 3, 5, List.of(), Set.of(), null, null, false, Map.of(), List.of(), 0, false, null);

    public Keywords {
        when = List.copyOf(when);
        changedWhen = List.copyOf(changedWhen);
        failedWhen = List.copyOf(failedWhen);
        until = List.copyOf(until);
        notifies = List.copyOf(notifies);
        tags = Set.copyOf(tags);
        vars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
        listen = List.copyOf(listen);
    }

    /** These keywords under a parent's: conditions and tags add up, the rest is inherited when unset here. */
    public Keywords inheriting(Keywords parent) {
        List<String> w = new java.util.ArrayList<>(parent.when);
        w.addAll(when);
        Set<String> t = new java.util.LinkedHashSet<>(parent.tags);
        t.addAll(tags);
        Map<String, Object> v = new java.util.LinkedHashMap<>(parent.vars);
        v.putAll(vars);
        return new Keywords(w, loop, loopVar, register, ignoreErrors || parent.ignoreErrors, changedWhen,
                failedWhen, until, retries, delaySeconds, notifies, t, become != null ? become : parent.become,
                becomeUser != null ? becomeUser : parent.becomeUser, noLog || parent.noLog, v, listen, throttle,
                runOnce || parent.runOnce, delegateTo != null ? delegateTo : parent.delegateTo);
    }
}
