package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code service_facts}: the host's services under {@code ansible_facts.services}, as Ansible gathers them on
 * Debian and Ubuntu. SysV init scripts come from {@code service --status-all} ({@code {name, state, source: sysv}},
 * state running or stopped); when PID 1 is systemd, {@code systemctl list-units} and {@code list-unit-files} add
 * {@code name.service} entries ({@code {name, state, status, source: systemd}}), unit files that no unit lists
 * getting their ActiveState from {@code systemctl show}. No service at all is a skip, as in Ansible.
 * Hosts with chkconfig, upstart or OpenRC are not read (Ansible's Red Hat, upstart and OpenRC scans).
 */
final class ServiceFactsModule implements Module {
    private static final Pattern SYSV_LINE = Pattern.compile("^\\s*\\[ (?<state>[+-]) \\]\\s+(?<name>.+)$",
            Pattern.MULTILINE);
    /** systemd's states that replace the active/inactive column and stay the final status. */
    private static final Set<String> BAD_STATES = Set.of("not-found", "masked", "failed");
    private static final String LOCALE = "LANG=C LC_ALL=C ";

    public String name() {
        return "service_facts";
    }

    public ArgSpec spec() {
        return ArgSpec.none();
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException {
        Tools tools = tools(ctx);
        Map<String, Object> services = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        if (tools.service() != null && !tools.has("chkconfig") && !tools.has("rc-status")) {
            CommandResult r = exec(ctx, LOCALE + ShellQuote.quote(tools.service()) + " --status-all");
            if (r.exitCode() != 0) {
                warnings.add("Unable to query 'service' tool (" + r.exitCode() + "): " + r.stderr());
            }
            services.putAll(parseSysv(r.stdout()));
        }
        if (tools.systemdIsInit() && tools.systemctl() != null) {
            systemd(ctx, tools.systemctl(), services, warnings);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        if (!warnings.isEmpty()) data.put("warnings", warnings);
        if (services.isEmpty()) {
            return new TaskOutcome(TaskStatus.SKIPPED, null, "", "", "Failed to find any services. This can be due"
                    + " to privileges or some other configuration issue.", data);
        }
        data.put("ansible_facts", Map.of("services", services));
        return new TaskOutcome(TaskStatus.OK, null, "", "", "", data);
    }

    /** Where service and systemctl are, which other init tools exist, and whether PID 1 is systemd. */
    private record Tools(Map<String, String> paths, boolean systemdIsInit) {
        String service() {
            return paths.get("service");
        }

        String systemctl() {
            return paths.get("systemctl");
        }

        boolean has(String tool) {
            return paths.containsKey(tool);
        }
    }

    private static Tools tools(ModuleContext ctx) throws TransportException {
        // Ansible's get_bin_path looks in PATH plus the sbin directories.
        String script = """
                PATH="$PATH:/sbin:/usr/sbin:/usr/local/sbin"
                for t in service chkconfig rc-status systemctl; do
                  p=$(command -v "$t" 2>/dev/null) && case "$p" in /*) echo "$t=$p";; esac
                done
                grep -q systemd /proc/1/comm 2>/dev/null && echo init=systemd
                exit 0
                """;
        ProbeAnswer answer = ProbeAnswer.parse(exec(ctx, "sh -c " + ShellQuote.quote(script)).stdout());
        Map<String, String> paths = answer.firstOf(List.of("service", "chkconfig", "rc-status", "systemctl"));
        boolean systemd = "systemd".equals(answer.get("init"));
        return new Tools(paths, systemd);
    }

    /** {@code service --status-all}: {@code [ + ]  name} is running, {@code [ - ]} (and {@code [ ? ]}: none). */
    static Map<String, Object> parseSysv(String out) {
        Map<String, Object> services = new LinkedHashMap<>();
        Matcher m = SYSV_LINE.matcher(out);
        while (m.find()) {
            String name = m.group("name");
            services.put(name, entry(name, m.group("state").equals("+") ? "running" : "stopped", null, "sysv"));
        }
        return services;
    }

    private static void systemd(ModuleContext ctx, String systemctl, Map<String, Object> services,
            List<String> warnings) throws TransportException {
        String bin = ShellQuote.quote(systemctl);
        CommandResult units = exec(ctx, LOCALE + bin + " list-units --no-pager --type service --all");
        if (units.exitCode() != 0) {
            warnings.add("Could not list units from systemd: " + units.stderr());
        } else {
            services.putAll(parseUnits(units.stdout()));
        }
        CommandResult files = exec(ctx, LOCALE + bin + " list-unit-files --no-pager --type service --all");
        if (files.exitCode() != 0) {
            warnings.add("Could not get unit files data from systemd: " + files.stderr());
            return;
        }
        Map<String, String> unitFiles = parseUnitFiles(files.stdout());
        List<String> unlisted = unitFiles.keySet().stream().filter(u -> !services.containsKey(u)).toList();
        Map<String, String> active = activeStates(ctx, bin, unlisted);
        unitFiles.forEach((unit, status) -> {
            Object known = services.get(unit);
            if (known == null) {
                services.put(unit, entry(unit, active.getOrDefault(unit, "unknown"), status, "systemd"));
            } else if (known instanceof Map<?, ?> svc && !BAD_STATES.contains(svc.get("status"))) {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) svc;
                m.put("status", status);
            }
        });
    }

    /**
     * {@code systemctl list-units}: lines naming a {@code .service}; a leading marker (●) or a bad load state
     * shifts the columns, as Ansible reads them: the unit, then LOAD ACTIVE SUB.
     */
    static Map<String, Object> parseUnits(String out) {
        Map<String, Object> services = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            if (!line.contains(".service")) continue;
            List<String> fields = List.of(line.strip().split("\\s+"));
            String status = null;
            for (String bad : BAD_STATES) {
                if (fields.contains(bad)) {
                    status = bad;
                    fields = fields.subList(1, fields.size());
                    break;
                }
            }
            if (fields.size() < 4) continue;
            if (status == null) status = fields.get(2);
            String name = fields.get(0);
            services.put(name, entry(name, fields.get(3).equals("running") ? "running" : "stopped", status,
                    "systemd"));
        }
        return services;
    }

    /** {@code systemctl list-unit-files}: unit name and STATE, for the lines naming a {@code .service}. */
    static Map<String, String> parseUnitFiles(String out) {
        Map<String, String> files = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            if (!line.contains(".service")) continue;
            String[] fields = line.strip().split("\\s+");
            if (fields.length >= 2) files.put(fields[0], fields[1]);
        }
        return files;
    }

    /** ActiveState of each unit, one {@code systemctl show} per unit in one round trip; missing: unknown. */
    private static Map<String, String> activeStates(ModuleContext ctx, String bin, List<String> units)
            throws TransportException {
        Map<String, String> states = new LinkedHashMap<>();
        if (units.isEmpty()) return states;
        StringBuilder script = new StringBuilder();
        for (String u : units) {
            String q = ShellQuote.quote(u);
            script.append("s=$(").append(bin).append(" show ").append(q)
                    .append(" --property=ActiveState 2>/dev/null) && [ -n \"$s\" ] && printf '%s\\t%s\\n' ")
                    .append(q).append(" \"${s#ActiveState=}\"\n");
        }
        script.append("exit 0\n");
        CommandResult r = exec(ctx, LOCALE + "sh -c " + ShellQuote.quote(script.toString()));
        for (String line : r.stdout().split("\n")) {
            int tab = line.indexOf('\t');
            if (tab > 0) states.put(line.substring(0, tab), line.substring(tab + 1).strip());
        }
        return states;
    }

    private static Map<String, Object> entry(String name, String state, String status, String source) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("name", name);
        e.put("state", state);
        if (status != null) e.put("status", status);
        e.put("source", source);
        return e;
    }

    private static CommandResult exec(ModuleContext ctx, String cmd) throws TransportException {
        return ctx.session().exec(cmd, ctx.timeout());
    }
}
