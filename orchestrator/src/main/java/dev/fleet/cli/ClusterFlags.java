package dev.fleet.cli;

import dev.fleet.config.AnsibleConfig;
import dev.fleet.config.ConfigException;
import dev.fleet.engine.ExitCodes;
import dev.fleet.transport.SshSettings;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ParseResult;

/**
 * What {@code fleet run --cluster} does with the options that say how to reach hosts: the coordinator connects to
 * no host, each worker connects with its own config's settings, and no secret travels between nodes. So each such
 * option given is named in a warning with the worker config key that does its job instead; {@code -K} is refused
 * before it asks, since a password typed there could only be thrown away.
 */
final class ClusterFlags {
    /** Option (as the user may spell it, picocli knows the aliases) to what the workers do instead. */
    private static final Map<String, String> IGNORED = new java.util.LinkedHashMap<>();

    static {
        IGNORED.put("--user", "each worker logs in as its config's worker.user (default: the user the worker runs "
                + "as) where the inventory names no ansible_user");
        IGNORED.put("--private-key", "each worker offers its config's worker.private_key");
        IGNORED.put("--known-hosts", "each worker checks host keys against its config's worker.known_hosts");
        IGNORED.put("--host-key-checking", "workers always check host keys strictly, against worker.known_hosts "
                + "(put the hosts' keys there)");
        IGNORED.put("--connect-retries", "workers retry a failed connect " + SshSettings.DEFAULT_CONNECT_RETRIES
                + " times (no worker config key yet)");
    }

    private ClusterFlags() {}

    /** Prints a warning for each ignored option given; the exit code to stop with, or -1 to go on. */
    static int check(ParseResult parsed, PrintWriter err) {
        if (parsed.hasMatchedOption("--ask-become-pass")) {
            err.println("fleet: -K/--ask-become-pass cannot be used with --cluster: the coordinator sends no "
                    + "password to the workers; set FLEET_BECOME_PASS in each worker's environment instead");
            return ExitCodes.BAD_OPTIONS;
        }
        for (String name : warnings(parsed)) err.println("fleet: WARNING: " + name);
        String become = System.getenv("FLEET_BECOME_PASS");
        if (become != null && !become.isEmpty()) {
            err.println("fleet: WARNING: FLEET_BECOME_PASS is ignored with --cluster: the coordinator sends no "
                    + "password to the workers; set it in each worker's environment");
        }
        err.flush();
        return -1;
    }

    /**
     * One line per ansible.cfg connection setting that a clustered run ignores, where no option overrode it (that
     * option has its own warning): a project's remote_user would otherwise change nothing without a word.
     */
    static List<String> configWarnings(AnsibleConfig config, ParseResult parsed) throws ConfigException {
        List<String> out = new java.util.ArrayList<>();
        if (config.remoteUser().isPresent() && !parsed.hasMatchedOption("--user")) {
            out.add(config.file() + ": remote_user is ignored with --cluster: " + IGNORED.get("--user"));
        }
        if (config.privateKeyFile().isPresent() && !parsed.hasMatchedOption("--private-key")) {
            out.add(config.file() + ": private_key_file is ignored with --cluster: " + IGNORED.get("--private-key"));
        }
        if (config.hostKeyChecking().isPresent() && !parsed.hasMatchedOption("--host-key-checking")) {
            out.add(config.file() + ": host_key_checking is ignored with --cluster: "
                    + IGNORED.get("--host-key-checking"));
        }
        return out;
    }

    /** One line per ignored option given. */
    static List<String> warnings(ParseResult parsed) {
        return IGNORED.entrySet().stream().filter(e -> parsed.hasMatchedOption(e.getKey()))
                .map(e -> aliases(parsed, e.getKey()) + " is ignored with --cluster (the coordinator connects to no "
                        + "host): " + e.getValue()).toList();
    }

    private static String aliases(ParseResult parsed, String name) {
        return String.join("/", parsed.commandSpec().findOption(name).names());
    }
}
