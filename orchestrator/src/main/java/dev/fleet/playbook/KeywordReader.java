package dev.fleet.playbook;

import static dev.fleet.playbook.YamlReads.conditions;
import static dev.fleet.playbook.YamlReads.optionalBool;
import static dev.fleet.playbook.YamlReads.optionalBoolean;
import static dev.fleet.playbook.YamlReads.optionalInt;
import static dev.fleet.playbook.YamlReads.optionalSeconds;
import static dev.fleet.playbook.YamlReads.optionalString;
import static dev.fleet.playbook.YamlReads.stringList;
import static dev.fleet.playbook.YamlReads.stringSet;
import static dev.fleet.playbook.YamlReads.varsMapping;

import dev.fleet.lookup.Lookups;
import dev.fleet.yaml.ParseException;
import dev.fleet.yaml.YamlNode;
import dev.fleet.yaml.YamlNode.Mapping;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Reads the keywords of a play, a block or a task into {@link Keywords}: the part of the playbook language that
 * is neither structure nor module arguments.
 */
final class KeywordReader {
    private KeywordReader() {}

    /** A {@code with_<lookup>} loop key, for any lookup fleet registers ({@link Lookups}). */
    static boolean isWithLoop(String key) {
        return key.startsWith("with_") && Lookups.find(key.substring("with_".length())).isPresent();
    }

    /** Keywords a play passes down to every task (its own keys are checked by the parser). */
    static Keywords play(Mapping play) throws ParseException {
        return common(play).build(); // play vars are the play's own level, not task vars
    }

    /** A block's own keywords, before it inherits its parent's. */
    static Keywords block(Mapping block) throws ParseException {
        return common(block).when(conditions(block, "when")).vars(varsMapping(block, "vars")).build();
    }

    /**
     * The keywords of a role use ({@code roles:} entry, {@code import_role}, a dependency), passed down to the role's
     * tasks; their {@code vars} are the role's own, not task vars.
     */
    static Keywords include(Mapping m) throws ParseException {
        return common(m).when(conditions(m, "when")).build();
    }

    /** {@code module_defaults}: a mapping of module names to argument mappings (action groups are refused). */
    private static java.util.Map<String, Object> moduleDefaults(Mapping m) throws ParseException {
        java.util.Map<String, Object> out = varsMapping(m, "module_defaults");
        for (var e : out.entrySet()) {
            if (e.getKey().startsWith("group/")) {
                throw new ParseException(m.get("module_defaults").position(), "module_defaults for action groups ('"
                        + e.getKey() + "') are not supported by fleet; name the modules");
            }
            if (!(e.getValue() instanceof java.util.Map)) {
                throw new ParseException(m.get("module_defaults").position(), "module_defaults for '" + e.getKey()
                        + "' must be a mapping of argument names to values");
            }
        }
        return out;
    }

    /** The keywords every level may carry. */
    private static Keywords.Builder common(Mapping m) throws ParseException {
        String method = optionalString(m, "become_method");
        if (method != null && !method.equals("sudo")) {
            throw new ParseException(m.get("become_method").position(), "become_method '" + method
                    + "' is not supported: fleet becomes another user through sudo; use become_method: sudo");
        }
        String connection = optionalString(m, "connection");
        if (connection != null && !Set.of("ssh", "smart", "paramiko", "local").contains(connection)) {
            throw new ParseException(m.get("connection").position(), "connection '" + connection
                    + "' is not supported; expected ssh (the default) or local");
        }
        int throttle = optionalInt(m, "throttle", 0);
        if (throttle < 0) throw new ParseException(m.get("throttle").position(), "'throttle' must be >= 0");
        int timeout = optionalInt(m, "timeout", 0);
        if (timeout < 0) throw new ParseException(m.get("timeout").position(), "'timeout' must be >= 0 seconds");
        String delegate = "local".equals(connection) ? "localhost" : optionalString(m, "delegate_to");
        return Keywords.builder()
                .notifies(stringList(m, "notify"))
                .runOnce(optionalBool(m, "run_once", false))
                .throttle(throttle)
                .timeoutSeconds(timeout)
                .delegateTo(delegate)
                .anyErrorsFatal(optionalBoolean(m, "any_errors_fatal"))
                .delegateFacts(optionalBool(m, "delegate_facts", false))
                .ignoreErrors(optionalBool(m, "ignore_errors", false))
                .ignoreUnreachable(optionalBool(m, "ignore_unreachable", false))
                .tags(stringSet(m, "tags"))
                .become(optionalBoolean(m, "become"), optionalString(m, "become_user"))
                .noLog(optionalBool(m, "no_log", false))
                .checkMode(optionalBoolean(m, "check_mode"))
                .diff(optionalBoolean(m, "diff"))
                .environment(varsMapping(m, "environment"))
                .moduleDefaults(moduleDefaults(m));
    }

    static Keywords task(Mapping task) throws ParseException {
        String register = optionalString(task, "register");
        if (register != null && !register.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new ParseException(task.get("register").position(),
                    "'register' must be a variable name (letters, digits, _), found '" + register + "'");
        }
        Keywords.Builder k = common(task);
        loop(task, k);
        int retries = optionalInt(task, "retries", 3);
        if (retries < 0 || retries > 10000) {
            throw new ParseException(task.get("retries").position(), "'retries' must be between 0 and 10000");
        }
        // retries/delay only matter with until, as in Ansible before 2.16.
        Duration delay = optionalSeconds(task, "delay", 5, 86400);
        int async = optionalInt(task, "async", 0);
        if (async < 0) throw new ParseException(task.get("async").position(), "'async' must be >= 0 seconds");
        if (task.has("poll") && optionalInt(task, "poll", 15) == 0) {
            throw new ParseException(task.get("poll").position(), "'poll: 0' (fire and forget, then async_status) "
                    + "is not supported by fleet yet; with poll > 0 fleet waits for the task up to 'async' seconds");
        }
        if (task.has("poll") && optionalInt(task, "poll", 15) < 0) {
            throw new ParseException(task.get("poll").position(), "'poll' must be >= 0 seconds");
        }
        return k.when(conditions(task, "when"))
                .asyncSeconds(async)
                .vars(varsMapping(task, "vars"))
                .register(register)
                .changedWhen(conditions(task, "changed_when"))
                .failedWhen(conditions(task, "failed_when"))
                .until(conditions(task, "until"), retries, delay)
                .listen(stringList(task, "listen"))
                .build();
    }

    /** {@code loop}, or one {@code with_<lookup>}, and {@code loop_control}. */
    private static void loop(Mapping task, Keywords.Builder k) throws ParseException {
        String found = null;
        for (String key : task.entries().keySet()) {
            boolean isLoop = key.equals("loop") || isWithLoop(key);
            if (!isLoop) continue;
            if (found != null) {
                throw new ParseException(task.keyPosition(key), "a task has one loop; found both '" + found
                        + "' and '" + key + "'");
            }
            found = key;
            YamlNode n = task.get(key);
            Object loop = n.toPlain();
            if (key.equals("loop") && loop != null && !(loop instanceof List) && !(loop instanceof String)) {
                throw new ParseException(n.position(), "'loop' must be a list or a template that gives a list,"
                        + " found a " + n.kind());
            }
            k.loop(loop == null ? List.of() : loop, key.equals("loop") ? null : key.substring("with_".length()));
        }
        YamlNode lc = task.get("loop_control");
        if (lc == null) return;
        if (!(lc instanceof Mapping lcm)) throw new ParseException(lc.position(), "'loop_control' must be a mapping");
        Set<String> known = Set.of("loop_var", "label", "index_var", "pause", "extended", "extended_allitems");
        for (String key : lcm.entries().keySet()) {
            if (!known.contains(key)) {
                throw new ParseException(lcm.keyPosition(key), "unknown loop_control option '" + key
                        + "'; expected one of " + new java.util.TreeSet<>(known));
            }
        }
        String loopVar = optionalString(lcm, "loop_var");
        k.loopControl(new LoopControl(loopVar != null ? loopVar : "item", optionalString(lcm, "index_var"),
                optionalString(lcm, "label"), optionalBool(lcm, "extended", false),
                optionalSeconds(lcm, "pause", 0, 86400)));
    }
}
