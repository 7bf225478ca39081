package dev.fleet.modules;

import dev.fleet.shell.ShellQuote;
import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code service}: starts, stops, restarts or reloads a service and enables or disables it at boot (the
 * {@code systemd} module is {@link SystemdModule}).
 * Uses {@code systemctl} when the host runs systemd ({@code /run/systemd/system}
 * exists), else {@code service NAME ...} and {@code update-rc.d}. {@code started}/{@code stopped} look at the
 * current state first and change nothing when it is already right. A failed action carries the command's output
 * and, where the service has one, its configuration test ({@code nginx -t}), so the report shows why.
 */
final class ServiceModule implements Module {
    /**
     * service's arguments, and systemd's, which Ansible's service action passes on to systemd on systemd hosts.
     * Accepted but not acted on: pattern, sleep, arguments, runlevel, use, scope, no_block, masked, force.
     */
    private static final Arg NAME = Arg.str("name").aliases("service", "unit");
    // daemon_reload/daemon_reexec have no default (Ansible's is false) so that required_one_of means something
    private static final List<Arg> OTHERS = List.of(
            Arg.str("state").choices("reloaded", "restarted", "started", "stopped"), Arg.bool("enabled"),
            Arg.bool("daemon_reload").aliases("daemon-reload"), Arg.bool("daemon_reexec").aliases("daemon-reexec"),
            Arg.str("pattern"), Arg.integer("sleep"), Arg.str("arguments").aliases("args"), Arg.str("runlevel"),
            Arg.str("use"), Arg.str("scope").choices("system", "user", "global"), Arg.bool("no_block"),
            Arg.bool("masked"), Arg.bool("force"));

    /** service always names one service. */
    private static final ArgSpec SERVICE = ArgSpec.builder().add(NAME.required()).add(OTHERS)
            .requiredOneOf("state", "enabled", "daemon_reload", "daemon_reexec").build();

    /** Configuration tests run after a failed action, for the services whose init scripts hide them. */
    private static final Map<String, String> CONFIG_TESTS = Map.of(
            "nginx", "nginx -t",
            "apache2", "apache2ctl configtest",
            "httpd", "httpd -t",
            "haproxy", "haproxy -c -f /etc/haproxy/haproxy.cfg",
            "ssh", "sshd -t",
            "sshd", "sshd -t");

    public String name() {
        return "service";
    }

    public ArgSpec spec() {
        return SERVICE;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException {
        String svc = ctx.str("name");
        String state = ctx.str("state");
        Boolean enabled = ctx.has("enabled") ? ctx.bool("enabled") : null;
        boolean daemonReload = ctx.bool("daemon_reload") || ctx.bool("daemon_reexec");
        // The name goes into commands (quoted); refusing odd ones early gives a clearer error than systemctl's.
        if (svc != null && !svc.matches("[A-Za-z0-9@_.:+\\\\-]+")) {
            throw new ModuleException("argument 'name' must be a service name (letters, digits, @_.:+-), got '"
                    + svc + "'");
        }

        Probe probe = probe(ctx, svc);
        Map<String, Object> data = new LinkedHashMap<>();
        List<String> actions = new ArrayList<>();
        boolean changed = false;
        if (svc != null) data.put("name", svc);

        if (daemonReload && probe.systemd) {
            if (!ctx.check()) {
                CommandResult r = exec(ctx, "systemctl daemon-reload");
                if (r.exitCode() != 0) return failure(ctx, svc, "daemon-reload", "systemctl daemon-reload", r, probe);
            }
            changed = true;
            actions.add("daemon-reload");
        }
        if (svc != null && !probe.exists) {
            return TaskOutcome.failed("Could not find the requested service " + svc + ": host")
                    .withData(Map.of("name", svc));
        }

        boolean running = probe.running;
        if (state != null) {
            String verb = switch (state) {
                case "started" -> running ? null : "start";
                case "stopped" -> running ? "stop" : null;
                case "restarted" -> "restart";
                default -> running ? "reload" : "start"; // reloading a stopped service starts it, as Ansible does
            };
            if (verb != null) {
                String cmd = probe.systemd ? "systemctl " + verb + " " + ShellQuote.quote(svc)
                        : "service " + ShellQuote.quote(svc) + " " + verb;
                if (!ctx.check()) {
                    CommandResult r = exec(ctx, cmd);
                    if (r.exitCode() != 0) return failure(ctx, svc, verb, cmd, r, probe);
                }
                running = !verb.equals("stop");
                changed = true;
                actions.add(verb);
            }
            data.put("state", state);
        }

        if (enabled != null) {
            if (probe.enabled == null || probe.enabled != enabled) {
                String q = ShellQuote.quote(svc);
                String cmd = probe.systemd ? "systemctl " + (enabled ? "enable " : "disable ") + q
                        : enabled ? "update-rc.d " + q + " defaults && update-rc.d " + q + " enable"
                        : "update-rc.d " + q + " disable";
                if (!ctx.check()) {
                    CommandResult r = exec(ctx, cmd);
                    if (r.exitCode() != 0) return failure(ctx, svc, enabled ? "enable" : "disable", cmd, r, probe);
                }
                changed = true;
                actions.add(enabled ? "enable" : "disable");
            }
            data.put("enabled", enabled);
        }

        if (svc != null) {
            data.put("status", Map.of("ActiveState", running ? "active" : "inactive",
                    "UnitFileState", enabled != null ? (enabled ? "enabled" : "disabled")
                            : probe.enabled == null ? "unknown" : probe.enabled ? "enabled" : "disabled"));
        }
        String who = svc != null ? svc : "systemd";
        String msg = actions.isEmpty() ? who + " is already " + (state != null ? state : "as requested")
                : (ctx.check() ? "would " : "") + String.join(", ", actions) + " " + who
                        + (probe.systemd ? " (systemctl)" : " (service)");
        return new TaskOutcome(changed ? TaskStatus.CHANGED : TaskStatus.OK, null, "", "", msg, data);
    }

    /** What the host runs as init and what state the service is in, in one command. */
    private record Probe(boolean systemd, boolean exists, boolean running, Boolean enabled) {}

    private static Probe probe(ModuleContext ctx, String svc) throws TransportException {
        String q = svc == null ? "''" : ShellQuote.quote(svc);
        String script = "n=" + q + "\n" + """
                if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
                  echo mgr=systemd
                  [ -z "$n" ] && exit 0
                  echo "load=$(systemctl show -p LoadState --value "$n" 2>/dev/null)"
                  systemctl is-active --quiet "$n" 2>/dev/null; echo "active=$?"
                  echo "enabled=$(systemctl is-enabled "$n" 2>/dev/null)"
                else
                  echo mgr=sysv
                  [ -z "$n" ] && exit 0
                  if [ -x "/etc/init.d/$n" ]; then echo load=loaded; else echo load=not-found; fi
                  if command -v service >/dev/null 2>&1; then service "$n" status >/dev/null 2>&1
                  else "/etc/init.d/$n" status >/dev/null 2>&1; fi
                  echo "active=$?"
                  if ls /etc/rc[2345].d/S[0-9]*"$n" >/dev/null 2>&1; then echo enabled=enabled
                  elif ls /etc/rc[2345].d/K[0-9]*"$n" >/dev/null 2>&1; then echo enabled=disabled
                  else echo enabled=; fi
                fi
                """;
        CommandResult r = ctx.session().exec("sh -c " + ShellQuote.quote(script), ctx.timeout());
        ProbeAnswer kv = ProbeAnswer.parse(r.stdout());
        boolean systemd = "systemd".equals(stripped(kv, "mgr"));
        String load = Objects.requireNonNullElse(stripped(kv, "load"), "");
        boolean exists = svc == null || !(load.equals("not-found") || load.isEmpty());
        String en = Objects.requireNonNullElse(stripped(kv, "enabled"), "");
        Boolean enabled = switch (en) {
            case "enabled", "enabled-runtime", "alias", "static", "indirect", "generated" -> true;
            case "disabled", "masked", "masked-runtime" -> false;
            default -> null;
        };
        return new Probe(systemd, exists, "0".equals(stripped(kv, "active")), enabled);
    }

    /** The probe's last value for the key, stripped, or null. */
    private static String stripped(ProbeAnswer kv, String key) {
        List<String> all = kv.all(key);
        return all.isEmpty() ? null : all.get(all.size() - 1).strip();
    }

    private static CommandResult exec(ModuleContext ctx, String cmd) throws TransportException {
        return ctx.session().exec(cmd, ctx.timeout());
    }

    /**
     * A failed action: rc and output as they were, and a message with the output's last lines plus, where
     * known, the service's configuration test or systemd's status, which init scripts often swallow.
     */
    private static TaskOutcome failure(ModuleContext ctx, String svc, String verb, String cmd, CommandResult r,
            Probe probe) throws TransportException {
        String out = OutputText.stripTrailingNewline(r.stdout());
        String err = OutputText.stripTrailingNewline(r.stderr());
        String diag = "";
        if (svc != null) {
            String test = CONFIG_TESTS.get(svc);
            if (test != null) {
                CommandResult d = ctx.session().exec("PATH=$PATH:/usr/sbin:/sbin; " + test + " 2>&1", ctx.timeout());
                if (d.exitCode() != 0) diag = OutputText.stripTrailingNewline(d.stdout());
            }
            if (diag.isEmpty() && probe.systemd) {
                diag = OutputText.stripTrailingNewline(ctx.session().exec("systemctl status --no-pager -l -n 10 "
                        + ShellQuote.quote(svc) + " 2>&1", ctx.timeout()).stdout());
            }
        }
        String tail = OutputText.tail((err + "\n" + out + "\n" + diag).strip(), 8);
        String msg = "service " + (svc == null ? "" : svc + " ") + verb + " failed (rc=" + r.exitCode() + ")"
                + (tail.isEmpty() ? "" : ": " + tail);
        Map<String, Object> data = new LinkedHashMap<>();
        if (svc != null) data.put("name", svc);
        data.put("cmd", cmd);
        if (!diag.isEmpty()) data.put("diagnostics", diag);
        return new TaskOutcome(TaskStatus.FAILED, r.exitCode(), out, err, msg, data);
    }
}
