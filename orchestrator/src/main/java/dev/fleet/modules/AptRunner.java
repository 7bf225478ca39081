package dev.fleet.modules;

import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Runs apt-get, apt-cache and dpkg on the host the way Ansible's apt module does: non-interactive, in the C
 * locale (the module reads their output), with {@code policy_rc_d} in place while packages change, and waiting
 * up to {@code lock_timeout} seconds while another process (apt, dpkg, unattended-upgrades) holds the dpkg or apt
 * lock: a command refused for a held lock changed nothing, so it is simply run again once a second.
 */
final class AptRunner {
    /** Ansible's APT_ENV_VARS (it picks C for the locale as well where C.UTF-8 is missing). */
    static final String ENV = "export DEBIAN_FRONTEND=noninteractive DEBIAN_PRIORITY=critical LANG=C LC_ALL=C"
            + " LC_MESSAGES=C LC_CTYPE=C; PATH=\"$PATH:/usr/sbin:/sbin\"; ";

    /** What apt-get and dpkg print when another process holds a lock they need. */
    static final Pattern LOCK_HELD = Pattern.compile("Could not get lock|Unable to lock|Unable to acquire the dpkg"
            + " frontend lock|lock was locked by another process|database is locked by another process");

    private static final Duration LOCK_RETRY_DELAY = Duration.ofSeconds(1);

    private final ModuleContext ctx;
    private final Integer policyRcD;
    private final Instant lockDeadline;

    /**
     * @param policyRcD   the exit code /usr/sbin/policy-rc.d gives while packages change, or null to leave it alone
     * @param lockTimeout seconds to keep retrying a command refused for a held lock
     */
    AptRunner(ModuleContext ctx, Integer policyRcD, int lockTimeout) {
        this.ctx = ctx;
        this.policyRcD = policyRcD;
        this.lockDeadline = Instant.now().plusSeconds(Math.max(0, lockTimeout));
    }

    /** A command that reads only (dpkg-query, apt-cache): no lock, no policy-rc.d. */
    CommandResult query(String command) throws TransportException {
        return ctx.session().exec(ENV + command, ctx.timeout());
    }

    /** A command that may change packages or apt's state: waits out held locks, policy-rc.d in place. */
    CommandResult change(String command) throws TransportException {
        String line = ENV + (policyRcD == null ? command : withPolicyRcD(command, policyRcD));
        while (true) {
            CommandResult r = ctx.session().exec(line, ctx.timeout());
            if (r.exitCode() == 0 || !lockHeld(r) || Instant.now().plus(LOCK_RETRY_DELAY).isAfter(lockDeadline)) {
                return r;
            }
            try {
                Thread.sleep(LOCK_RETRY_DELAY);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return r;
            }
        }
    }

    static boolean lockHeld(CommandResult r) {
        return LOCK_HELD.matcher(r.stderr()).find() || LOCK_HELD.matcher(r.stdout()).find();
    }

    /**
     * {@code command} with /usr/sbin/policy-rc.d answering {@code code} while it runs (so that, with 101, an
     * installed service is not started); an existing policy-rc.d is moved aside and put back afterwards.
     */
    static String withPolicyRcD(String command, int code) {
        String script = "#!/bin/sh\nexit " + code + "\n";
        return "p=/usr/sbin/policy-rc.d; b=; if [ -e \"$p\" ]; then b=$(mktemp -d) && mv \"$p\" \"$b/\" || exit 1; fi;"
                + " printf '%s' " + ShellQuote.quote(script) + " > \"$p\" && chmod 0755 \"$p\" || exit 1; "
                + command + "; rc=$?; if [ -n \"$b\" ]; then mv \"$b/policy-rc.d\" \"$p\" && rmdir \"$b\";"
                + " else rm -f \"$p\"; fi; exit $rc";
    }

    /** Ansible's expand_dpkg_options: {@code force-confdef,force-confold} as apt-get -o options. */
    static String dpkgOptions(String commaSeparated) {
        StringBuilder sb = new StringBuilder();
        for (String o : commaSeparated.split(",")) {
            if (!sb.isEmpty()) sb.append(' ');
            sb.append("-o ").append(ShellQuote.quote("Dpkg::Options::=--" + o.strip()));
        }
        return sb.toString();
    }
}
