package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code hostname}: Ansible's strategies for the current (kernel) and permanent name. Without {@code use}, a host
 * booted with systemd gets {@code hostnamectl}; otherwise the distribution decides: the Debian family's is the
 * file strategy, which writes {@code /etc/hostname} and, as in Ansible, leaves the kernel's name alone (its
 * "current" name is the file's). {@code use: alpine} also runs {@code hostname -F /etc/hostname}, before the file
 * is rewritten, as Ansible does. Returns {@code name}, the {@code ansible_hostname/nodename/fqdn/domain} facts
 * (the fqdn as Python's {@code socket.getfqdn()} finds it from the kernel's name) and, when changed, Ansible's
 * {@code diff}.
 */
final class HostnameModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.str("name").required(), Arg.str("use").choices("alpine", "debian", "freebsd", "generic",
                    "macos", "macosx", "darwin", "openbsd", "openrc", "redhat", "sles", "solaris", "systemd"))
            .build();

    /** Distributions whose Ansible hostname class uses the file strategy (os-release IDs). */
    private static final Set<String> FILE_DISTRIBUTIONS = Set.of("debian", "ubuntu", "linuxmint", "kali", "parrot",
            "raspbian", "devuan", "deepin", "uos", "kylin", "cumulus-linux", "linaro");

    private static final String DETECT = "if command -v systemctl >/dev/null 2>&1 && { [ -e /run/systemd/system/ ]"
            + " || [ -e /dev/.run/systemd/ ] || [ -e /dev/.systemd/ ]; }; then echo systemd; else"
            + " sed -n 's/^ID=//p' /etc/os-release 2>/dev/null | tr -d '\"'; fi";

    /** Python's socket.getfqdn() of the kernel's name: the first name with a dot the address resolves back to. */
    private static final String FQDN = "n=$(hostname)\n"
            + "a=$(getent ahosts \"$n\" 2>/dev/null | awk 'NR==1{print $1}')\n"
            + "l=; [ -n \"$a\" ] && l=$(getent hosts \"$a\" 2>/dev/null | head -n 1)\n"
            + "if [ -z \"$l\" ]; then echo \"$n\"; exit 0; fi\n"
            + "set -- $l; shift; c=$1\n"
            + "for x in \"$@\"; do case $x in *.*) echo \"$x\"; exit 0;; esac; done; echo \"$c\"";

    /** How one strategy reads and writes the two names. */
    private enum Strategy {
        FILE("/etc/hostname"), ALPINE("/etc/hostname"), SLES("/etc/HOSTNAME"), SYSTEMD(null);

        final String file;

        Strategy(String file) {
            this.file = file;
        }
    }

    /** A command the strategy ran failed: Ansible's message. */
    private static final class Failure extends Exception {
        Failure(String msg) {
            super(msg);
        }
    }

    public String name() {
        return "hostname";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException {
        String name = ctx.str("name");
        try {
            Strategy s = strategy(ctx);
            String current = current(ctx, s);
            String permanent = permanent(ctx, s);
            boolean changed = s == Strategy.SYSTEMD ? updatePermanent(ctx, s, name) | updateCurrent(ctx, s, name)
                    : updateCurrent(ctx, s, name) | updatePermanent(ctx, s, name);
            String before = !name.equals(current) ? current : permanent;
            String fqdn = RemoteFiles.sh(ctx, FQDN).stdout().strip();
            Map<String, Object> facts = new LinkedHashMap<>();
            facts.put("ansible_hostname", name.split("\\.", -1)[0]);
            facts.put("ansible_nodename", name);
            facts.put("ansible_fqdn", fqdn);
            int dot = fqdn.indexOf('.');
            facts.put("ansible_domain", dot < 0 ? "" : fqdn.substring(dot + 1));
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("name", name);
            data.put("ansible_facts", facts);
            if (changed) data.put("diff", Map.of("before", "hostname = " + before + "\n", "after",
                    "hostname = " + name + "\n"));
            return (changed ? TaskOutcome.changed("") : TaskOutcome.ok("")).withData(data);
        } catch (Failure e) {
            return TaskOutcome.failed(e.getMessage());
        }
    }

    private static Strategy strategy(ModuleContext ctx) throws TransportException, Failure {
        String use = ctx.str("use");
        if (use == null) {
            String found = RemoteFiles.sh(ctx, DETECT).stdout().strip();
            if (found.equals("systemd")) return Strategy.SYSTEMD;
            if (FILE_DISTRIBUTIONS.contains(found)) return Strategy.FILE;
            if (found.equals("alpine")) return Strategy.ALPINE;
            throw new Failure("hostname module cannot be used on platform Linux ("
                    + (found.isEmpty() ? "unknown" : found) + ") by fleet; name a strategy with 'use'"
                    + " (systemd, debian, alpine or sles)");
        }
        return switch (use) {
            case "systemd", "debian" -> Strategy.SYSTEMD;
            case "alpine" -> Strategy.ALPINE;
            case "sles" -> Strategy.SLES;
            default -> throw new Failure("hostname: strategy 'use: " + use + "' is not supported by fleet"
                    + " (supported: systemd, debian, alpine, sles)");
        };
    }

    private static boolean updateCurrent(ModuleContext ctx, Strategy s, String name)
            throws TransportException, Failure {
        if (name.equals(current(ctx, s))) return false;
        if (ctx.check()) return true;
        if (s == Strategy.SYSTEMD) {
            checkLength(name);
            run(ctx, "hostnamectl --transient set-hostname " + ShellQuote.quote(name));
        } else if (s == Strategy.ALPINE) {
            // Ansible's alpine strategy loads the file before writing it: the kernel gets the file's old name.
            run(ctx, "hostname -F " + s.file);
        }
        return true;
    }

    private static boolean updatePermanent(ModuleContext ctx, Strategy s, String name)
            throws TransportException, Failure {
        if (name.equals(permanent(ctx, s))) return false;
        if (ctx.check()) return true;
        if (s == Strategy.SYSTEMD) {
            checkLength(name);
            run(ctx, "hostnamectl --pretty --static set-hostname " + ShellQuote.quote(name));
        } else {
            CommandResult r = RemoteFiles.sh(ctx, "printf '%s\\n' " + ShellQuote.quote(name) + " > " + s.file);
            if (r.exitCode() != 0) throw new Failure("failed to update hostname: " + RemoteFiles.reason(r.stderr()));
        }
        return true;
    }

    private static String current(ModuleContext ctx, Strategy s) throws TransportException, Failure {
        return s == Strategy.SYSTEMD ? run(ctx, "hostnamectl --transient status") : permanent(ctx, s);
    }

    private static String permanent(ModuleContext ctx, Strategy s) throws TransportException, Failure {
        if (s == Strategy.SYSTEMD) return run(ctx, "hostnamectl --static status");
        CommandResult r = RemoteFiles.sh(ctx, "f=" + s.file + "; if [ -f \"$f\" ]; then cat \"$f\"; fi");
        if (r.exitCode() != 0) throw new Failure("failed to read hostname: " + RemoteFiles.reason(r.stderr()));
        return r.stdout().strip();
    }

    private static void checkLength(String name) throws Failure {
        if (name.length() > 64) {
            throw new Failure("name cannot be longer than 64 characters on systemd servers, try a shorter name");
        }
    }

    private static String run(ModuleContext ctx, String cmd) throws TransportException, Failure {
        CommandResult r = ctx.session().exec(cmd, ctx.timeout());
        if (r.exitCode() != 0) {
            throw new Failure("Command failed rc=" + r.exitCode() + ", out=" + r.stdout() + ", err=" + r.stderr());
        }
        return r.stdout().strip();
    }
}
