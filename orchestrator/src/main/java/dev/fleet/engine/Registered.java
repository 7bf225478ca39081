package dev.fleet.engine;

import dev.fleet.playbook.Keywords;
import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The shape of a result as Ansible registers it and hands it to later tasks and conditions. */
final class Registered {
    private Registered() {}

    /** The registered form of a result, as Ansible exposes it to later tasks. */
    static Map<String, Object> of(TaskOutcome o) {
        Map<String, Object> m = new LinkedHashMap<>(o.data());
        m.put("changed", o.status() == TaskStatus.CHANGED);
        m.put("failed", o.status() == TaskStatus.FAILED);
        m.put("skipped", o.status() == TaskStatus.SKIPPED);
        m.put("unreachable", o.status() == TaskStatus.UNREACHABLE);
        if (o.rc() != null) m.put("rc", o.rc());
        m.put("stdout", o.stdout());
        m.put("stderr", o.stderr());
        m.put("stdout_lines", splitlines(o.stdout()));
        m.put("stderr_lines", splitlines(o.stderr()));
        m.putIfAbsent("msg", o.msg()); // a module that registers its own msg (debug: a list) keeps it
        return m;
    }

    /** The variables with this result visible under its register name, for until/changed_when/failed_when. */
    static Map<String, Object> visible(Map<String, Object> vars, Keywords k, TaskOutcome o) {
        Map<String, Object> out = new LinkedHashMap<>(vars);
        Map<String, Object> reg = of(o);
        if (k.register() != null) out.put(k.register(), reg);
        // Bare names work too (Ansible allows 'rc != 0' in failed_when when the module returns rc).
        reg.forEach(out::putIfAbsent);
        return out;
    }

    /** Python's {@code str.splitlines()}, which Ansible's {@code stdout_lines} is; see {@link TextLines}. */
    static List<String> splitlines(String text) {
        return new TextLines(text);
    }
}
