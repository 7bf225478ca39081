package dev.fleet.playbook;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Ansible task keywords fleet implements, already combined with what the enclosing blocks and the play
 * pass down ({@code when} conditions are ANDed, tags are united, {@code become}, {@code no_log},
 * {@code environment}, {@code check_mode} ... inherited). Build one with {@link #builder()}.
 *
 * @param when        conditions that must all be true, outermost first; evaluated per loop item
 * @param loop        a list, or a template string that renders to one ({@code loop}, {@code with_*}); null: none
 * @param loopLookup  for {@code with_<lookup>}: the lookup that turns the terms into items ({@code items} for
 *                    {@code with_items}); null for {@code loop}, whose value must already be a list
 * @param loopControl {@code loop_control}
 * @param changedWhen conditions overriding the module's changed status (empty: module decides)
 * @param failedWhen  conditions overriding the module's failed status (empty: module decides)
 * @param until       retry until these hold; {@code retries} times (default 3), {@code delay} apart
 * @param become      run through sudo as {@code becomeUser}; null means not set here (inherit)
 * @param noLog       hide this task's output and arguments from every report
 * @param vars        task (and block) variables
 * @param listen      for handlers: extra topics this handler answers to
 * @param throttle    at most this many hosts run this task at once (0: only --forks limits)
 * @param runOnce     run on the first host only; its result is shared with the others
 * @param delegateTo  run the module on this host instead ({@code localhost} only), or null
 * @param checkMode   {@code check_mode}: true always runs in check mode, false never; null follows {@code --check}
 * @param diff        {@code diff}: like checkMode, for {@code --diff}
 * @param environment variables exported to the commands the module runs on the host
 * @param handledByRescue the task sits (at any depth) in a block with a {@code rescue}: it is written to expect
 *                    failure, so its argument errors come at run time, as in Ansible
 * @param moduleDefaults {@code module_defaults}: module name -> arguments a task of that module gets unless it
 *                    gives them itself (inner levels override outer ones per module)
 * @param asyncSeconds {@code async}: the task may run this long (its timeout instead of the run's); 0: not async
 * @param ignoreUnreachable {@code ignore_unreachable}: an unreachable result does not take the host out of the play;
 *                    it counts as ok and ignored, and {@code register} keeps it ({@code is unreachable})
 * @param timeoutSeconds {@code timeout} (task, block, role or play): the task fails when it runs longer; 0: unset,
 *                    the run's task timeout applies
 * @param delegateFacts facts the task sets go to the {@code delegate_to} host instead of the task's host
 * @param anyErrorsFatal a failure of this task ends the play for every host ({@code any_errors_fatal} on a task
 *                    or block); null: as the play says
 */
public record Keywords(List<String> when, Object loop, String loopLookup, LoopControl loopControl, String register,
        boolean ignoreErrors, List<String> changedWhen, List<String> failedWhen, List<String> until, int retries,
        Duration delay, List<String> notifies, Set<String> tags, Boolean become, String becomeUser, boolean noLog,
        Map<String, Object> vars, List<String> listen, int throttle, boolean runOnce, String delegateTo,
        Boolean checkMode, Boolean diff, Map<String, Object> environment, Boolean anyErrorsFatal,
        boolean delegateFacts, int asyncSeconds, int timeoutSeconds, boolean ignoreUnreachable,
        boolean handledByRescue, Map<String, Object> moduleDefaults) {

    public static final Keywords NONE = builder().build();

    public Keywords {
        when = List.copyOf(when);
        changedWhen = List.copyOf(changedWhen);
        failedWhen = List.copyOf(failedWhen);
        until = List.copyOf(until);
        notifies = List.copyOf(notifies);
        tags = Set.copyOf(tags);
        vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars));
        listen = List.copyOf(listen);
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        moduleDefaults = Collections.unmodifiableMap(new LinkedHashMap<>(moduleDefaults));
    }

    /** The loop variable's name ({@code loop_control.loop_var}, default {@code item}). */
    public String loopVar() {
        return loopControl.loopVar();
    }

    /** These keywords under a parent's: conditions and tags add up, the rest is inherited when unset here. */
    public Keywords inheriting(Keywords parent) {
        List<String> w = new ArrayList<>(parent.when);
        w.addAll(when);
        Set<String> t = new LinkedHashSet<>(parent.tags);
        t.addAll(tags);
        Map<String, Object> v = new LinkedHashMap<>(parent.vars);
        v.putAll(vars);
        Map<String, Object> env = new LinkedHashMap<>(parent.environment);
        env.putAll(environment);
        List<String> n = new ArrayList<>(parent.notifies);
        n.addAll(notifies);
        return new Keywords(w, loop, loopLookup, loopControl, register, ignoreErrors || parent.ignoreErrors,
                changedWhen, failedWhen, until, retries, delay, List.copyOf(new LinkedHashSet<>(n)), t,
                become != null ? become : parent.become, becomeUser != null ? becomeUser : parent.becomeUser,
                noLog || parent.noLog, v, listen, throttle > 0 ? throttle : parent.throttle, runOnce || parent.runOnce,
                delegateTo != null ? delegateTo : parent.delegateTo, checkMode != null ? checkMode : parent.checkMode,
                diff != null ? diff : parent.diff, env,
                anyErrorsFatal != null ? anyErrorsFatal : parent.anyErrorsFatal, delegateFacts || parent.delegateFacts,
                asyncSeconds, timeoutSeconds > 0 ? timeoutSeconds : parent.timeoutSeconds,
                ignoreUnreachable || parent.ignoreUnreachable, handledByRescue || parent.handledByRescue,
                mergedDefaults(parent));
    }

    /** module_defaults of the parent with these over them, module by module. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> mergedDefaults(Keywords parent) {
        Map<String, Object> out = new LinkedHashMap<>(parent.moduleDefaults);
        moduleDefaults.forEach((module, args) -> {
            Map<String, Object> merged = new LinkedHashMap<>();
            if (out.get(module) instanceof Map<?, ?> before) merged.putAll((Map<String, Object>) before);
            if (args instanceof Map<?, ?> now) merged.putAll((Map<String, Object>) now);
            out.put(module, merged);
        });
        return out;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Ansible's defaults; set only what a task, block or play says. */
    public static final class Builder {
        private List<String> when = List.of();
        private Object loop;
        private String loopLookup;
        private LoopControl loopControl = LoopControl.DEFAULT;
        private String register;
        private boolean ignoreErrors;
        private List<String> changedWhen = List.of();
        private List<String> failedWhen = List.of();
        private List<String> until = List.of();
        private int retries = 3;
        private Duration delay = Duration.ofSeconds(5);
        private List<String> notifies = List.of();
        private Set<String> tags = Set.of();
        private Boolean become;
        private String becomeUser;
        private boolean noLog;
        private Map<String, Object> vars = Map.of();
        private List<String> listen = List.of();
        private int throttle;
        private boolean runOnce;
        private String delegateTo;
        private Boolean checkMode;
        private Boolean diff;
        private Map<String, Object> environment = Map.of();
        private Boolean anyErrorsFatal;
        private boolean delegateFacts;
        private int asyncSeconds;
        private int timeoutSeconds;
        private boolean ignoreUnreachable;
        private boolean handledByRescue;
        private Map<String, Object> moduleDefaults = Map.of();

        public Builder when(List<String> v) { when = v; return this; }
        public Builder loop(Object v, String lookup) { loop = v; loopLookup = lookup; return this; }
        public Builder loopControl(LoopControl v) { loopControl = v; return this; }
        public Builder register(String v) { register = v; return this; }
        public Builder ignoreErrors(boolean v) { ignoreErrors = v; return this; }
        public Builder changedWhen(List<String> v) { changedWhen = v; return this; }
        public Builder failedWhen(List<String> v) { failedWhen = v; return this; }
        public Builder until(List<String> v, int retries, Duration delay) {
            until = v;
            this.retries = retries;
            this.delay = delay;
            return this;
        }
        public Builder notifies(List<String> v) { notifies = v; return this; }
        public Builder tags(Set<String> v) { tags = v; return this; }
        public Builder become(Boolean v, String user) { become = v; becomeUser = user; return this; }
        public Builder noLog(boolean v) { noLog = v; return this; }
        public Builder vars(Map<String, Object> v) { vars = v; return this; }
        public Builder listen(List<String> v) { listen = v; return this; }
        public Builder throttle(int v) { throttle = v; return this; }
        public Builder runOnce(boolean v) { runOnce = v; return this; }
        public Builder delegateTo(String v) { delegateTo = v; return this; }
        public Builder checkMode(Boolean v) { checkMode = v; return this; }
        public Builder diff(Boolean v) { diff = v; return this; }
        public Builder environment(Map<String, Object> v) { environment = v; return this; }
        public Builder anyErrorsFatal(Boolean v) { anyErrorsFatal = v; return this; }
        public Builder delegateFacts(boolean v) { delegateFacts = v; return this; }
        public Builder asyncSeconds(int v) { asyncSeconds = v; return this; }
        public Builder timeoutSeconds(int v) { timeoutSeconds = v; return this; }
        public Builder ignoreUnreachable(boolean v) { ignoreUnreachable = v; return this; }
        public Builder handledByRescue(boolean v) { handledByRescue = v; return this; }
        public Builder moduleDefaults(Map<String, Object> v) { moduleDefaults = v; return this; }

        public Keywords build() {
            return new Keywords(when, loop, loopLookup, loopControl, register, ignoreErrors, changedWhen, failedWhen,
                    until, retries, delay, notifies, tags, become, becomeUser, noLog, vars, listen, throttle, runOnce,
                    delegateTo, checkMode, diff, environment, anyErrorsFatal, delegateFacts, asyncSeconds,
                    timeoutSeconds, ignoreUnreachable, handledByRescue, moduleDefaults);
        }
    }
}
