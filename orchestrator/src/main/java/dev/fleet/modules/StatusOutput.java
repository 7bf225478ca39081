package dev.fleet.modules;

import java.util.List;

/**
 * How Ansible's sysvinit reads an init script's {@code status}: output of at most one line is searched (the
 * service's own name taken out) for words of a stopped service, then of a running one; failing that, the usual
 * "not running" exit codes mean stopped. Null when neither says anything.
 */
final class StatusOutput {
    private static final List<String> STOPPED = List.of("stop", "is dead ", "dead but ", "could not access pid file",
            "inactive");
    private static final List<String> STARTED = List.of("run", "start", "active");
    private static final List<Integer> STOPPED_CODES = List.of(1, 2, 3, 4, 69);

    private StatusOutput() {}

    static Boolean read(String name, int rc, String stdout) {
        if (name.equals("iptables") && stdout.contains("ACCEPT")) return true;
        if (stdout.chars().filter(c -> c == '\n').count() <= 1) {
            String clean = stdout.toLowerCase().replace(name.toLowerCase(), "");
            if (STOPPED.stream().anyMatch(clean::contains)) return false;
            if (!clean.contains("not ") && STARTED.stream().anyMatch(clean::contains)) return true;
        }
        return STOPPED_CODES.contains(rc) ? Boolean.FALSE : null;
    }
}
