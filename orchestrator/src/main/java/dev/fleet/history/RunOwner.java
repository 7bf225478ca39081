package dev.fleet.history;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Who records a run: {@code host:pid}. Stored with each run so a later process can tell a run whose recorder
 * died (same host, pid gone) from one still going elsewhere.
 */
final class RunOwner {
    private RunOwner() {}

    /** {@code host:pid} of this process. */
    static String current() {
        return hostName() + ":" + ProcessHandle.current().pid();
    }

    static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) return env.strip();
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (Exception e) {
            return "localhost";
        }
    }

    /**
     * True when {@code who} cannot be recording any more: no owner, a malformed one, or a process on this host
     * that no longer exists. Owners on other hosts are never taken for gone (this process cannot see them).
     */
    static boolean isGone(String who) {
        if (who == null) return true;
        int colon = who.lastIndexOf(':');
        if (colon < 0) return true;
        if (!who.substring(0, colon).equals(hostName())) return false;
        try {
            return ProcessHandle.of(Long.parseLong(who.substring(colon + 1))).map(p -> !p.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return true;
        }
    }
}
