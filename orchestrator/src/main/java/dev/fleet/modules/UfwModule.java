package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code community.general.ufw}: the firewall's state, default policies, logging and rules through the
 * {@code ufw} command, as the collection drives it: {@code ufw status verbose} and the {@code ### tuple} lines of
 * the user rules before, one {@code ufw} command per setting ({@code --dry-run} under {@code --check}, where the
 * change is judged from the status and the dry run's output, see {@link UfwDryRun}), and the status after.
 * Returns the collection's {@code commands} (each command line as run) and {@code msg} (the final status).
 * Each command line is split into words as the collection's (shell-less) run does, so no value reaches a shell.
 */
final class UfwModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.str("state").choices("enabled", "disabled", "reloaded", "reset"),
                    Arg.str("default").aliases("policy").choices("allow", "deny", "reject"),
                    Arg.str("logging").choices("full", "high", "low", "medium", "off", "on"),
                    Arg.str("direction").choices("in", "incoming", "out", "outgoing", "routed"),
                    Arg.bool("delete").defaultsTo(false), Arg.bool("route").defaultsTo(false), Arg.integer("insert"),
                    Arg.str("insert_relative_to").choices("zero", "first-ipv4", "last-ipv4", "first-ipv6",
                            "last-ipv6").defaultsTo("zero"),
                    Arg.str("rule").choices("allow", "deny", "limit", "reject"),
                    Arg.str("interface").aliases("if"), Arg.str("interface_in").aliases("if_in"),
                    Arg.str("interface_out").aliases("if_out"), Arg.bool("log").defaultsTo(false),
                    Arg.str("from_ip").aliases("from", "src").defaultsTo("any"), Arg.str("from_port"),
                    Arg.str("to_ip").aliases("dest", "to").defaultsTo("any"), Arg.str("to_port").aliases("port"),
                    Arg.str("proto").aliases("protocol").choices("ah", "any", "esp", "ipv6", "tcp", "udp", "gre",
                            "igmp"),
                    Arg.str("name").aliases("app"), Arg.str("comment"))
            .mutuallyExclusive("name", "proto", "logging")
            .mutuallyExclusive("direction", "interface_in")
            .mutuallyExclusive("direction", "interface_out")
            .requiredOneOf("state", "default", "rule", "logging")
            .requiredBy("interface", "direction")
            .build();
    private static final String[] USER_RULES = {"/lib/ufw/user.rules", "/lib/ufw/user6.rules",
        "/etc/ufw/user.rules", "/etc/ufw/user6.rules", "/var/lib/ufw/user.rules", "/var/lib/ufw/user6.rules"};
    private static final Pattern VERSION = Pattern.compile("^ufw.+(\\d+)\\.(\\d+)(?:\\.(\\d+))?.*$");
    private static final Pattern NUMBERED = Pattern.compile("^\\[ *([0-9]+)\\] ");

    public String name() {
        return "ufw";
    }

    @Override
    public String collection() {
        return "community.general";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    /** A command failed: the collection's {@code fail_json(msg=err or out, commands=...)}. */
    static final class Failed extends Exception {
        Failed(String message) {
            super(message);
        }
    }

    /** The commands of one run, recorded as the collection records them. */
    private record Run(ModuleContext ctx, List<String> commands) {
        String execute(List<String> parts, boolean ignoreError) throws TransportException, Failed {
            String line = String.join(" ", parts);
            commands.add(line);
            CommandResult r = raw(ctx, line);
            if (r.exitCode() != 0 && !ignoreError) {
                throw new Failed(r.stderr().isEmpty() ? r.stdout() : r.stderr());
            }
            return r.stdout();
        }
    }

    /** Runs a command line split as Python's shlex splits it, each word quoted, with LANG=C. */
    static CommandResult raw(ModuleContext ctx, String line) throws TransportException {
        List<String> words;
        try {
            words = ShellQuote.split(line);
        } catch (ShellQuote.UnbalancedQuote e) {
            return new CommandResult(2, "", "cannot split command line: " + line, java.time.Instant.now(),
                    java.time.Instant.now());
        }
        return RemoteFiles.sh(ctx, "LANG=C " + ShellQuote.join(words));
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException {
        Run run = new Run(ctx, new ArrayList<>());
        try {
            String ufw = binary(ctx, "ufw");
            String grep = binary(ctx, "grep");
            String preState = run.execute(List.of(ufw, "status verbose"), false);
            String preRules = rules(run, grep);
            boolean changed = false;
            boolean check = ctx.check();
            List<String> base = check ? List.of(ufw, "--dry-run") : List.of(ufw);
            if (ctx.has("state")) {
                String value = ctx.str("state");
                if (value.equals("reloaded") || value.equals("reset")) changed = true;
                if (check) {
                    boolean enabled = preState.contains(" active");
                    if (value.equals("disabled") && enabled || value.equals("enabled") && !enabled) changed = true;
                } else {
                    String verb = switch (value) {
                        case "enabled" -> "enable";
                        case "disabled" -> "disable";
                        case "reloaded" -> "reload";
                        default -> "reset";
                    };
                    run.execute(plus(base, "-f", verb), false);
                }
            }
            if (ctx.has("default")) changed |= setDefault(ctx, run, base, preState);
            if (ctx.has("rule")) changed |= UfwRuleCommand.apply(ctx, run::execute, base, ufw, preRules);
            if (ctx.has("logging")) changed |= setLogging(ctx, run, base, preState);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("commands", List.copyOf(run.commands()));
            if (check) return (changed ? TaskOutcome.changed("") : TaskOutcome.ok("")).withData(data);
            String postState = run.execute(List.of(ufw, "status", "verbose"), false);
            if (!changed) changed = !preState.equals(postState) || !preRules.equals(rules(run, grep));
            data.put("commands", List.copyOf(run.commands()));
            String msg = postState.stripTrailing();
            return (changed ? TaskOutcome.changed(msg) : TaskOutcome.ok(msg)).withData(data);
        } catch (Failed e) {
            return TaskOutcome.failed(e.getMessage()).withData(Map.of("commands", List.copyOf(run.commands())));
        } catch (UfwRuleCommand.Refused e) {
            return TaskOutcome.failed(e.getMessage());
        }
    }

    private static List<String> plus(List<String> base, String... more) {
        List<String> out = new ArrayList<>(base);
        out.addAll(List.of(more));
        return out;
    }

    private static boolean setDefault(ModuleContext ctx, Run run, List<String> base, String preState)
            throws TransportException, Failed, UfwRuleCommand.Refused {
        String direction = ctx.str("direction");
        if (direction != null && !List.of("outgoing", "incoming", "routed").contains(direction)) {
            throw new UfwRuleCommand.Refused("For default, direction must be one of \"outgoing\", \"incoming\" and"
                    + " \"routed\", or direction must not be specified.");
        }
        String value = ctx.str("default");
        if (!ctx.check()) {
            List<String> cmd = plus(base, "default", value);
            if (direction != null) cmd.add(direction);
            run.execute(cmd, false);
            return false;
        }
        Matcher m = Pattern.compile("Default: (deny|allow|reject) \\(incoming\\), (deny|allow|reject) \\(outgoing\\),"
                + " (deny|allow|reject|disabled) \\(routed\\)").matcher(preState);
        if (!m.find()) return true;
        String current = switch (direction == null ? "incoming" : direction) {
            case "outgoing" -> m.group(2);
            case "routed" -> m.group(3);
            default -> m.group(1);
        };
        return !current.equals(value) && !current.equals("disabled");
    }

    private static boolean setLogging(ModuleContext ctx, Run run, List<String> base, String preState)
            throws TransportException, Failed {
        String value = ctx.str("logging");
        boolean changed;
        Matcher m = Pattern.compile("Logging: (on|off)(?: \\(([a-z]+)\\))?").matcher(preState);
        if (m.find()) {
            String onOff = m.group(1);
            String level = m.group(2);
            if (!value.equals("off")) {
                changed = onOff.equals("off") || !value.equals("on") && !value.equals(level);
            } else {
                changed = !onOff.equals("off");
            }
        } else {
            changed = true;
        }
        if (!ctx.check()) run.execute(plus(base, "logging", value), false);
        return changed;
    }

    /** The {@code ### tuple} lines of every user rules file (missing files are ignored). */
    private static String rules(Run run, String grep) throws TransportException, Failed {
        List<String> cmd = new ArrayList<>(List.of(grep, "-h", "'^### tuple'"));
        cmd.addAll(List.of(USER_RULES));
        return run.execute(cmd, true);
    }

    /** The program's path as Ansible's get_bin_path finds it (PATH, then the sbin directories). */
    private static String binary(ModuleContext ctx, String program) throws TransportException, Failed {
        CommandResult r = RemoteFiles.sh(ctx, "PATH=\"$PATH:/sbin:/usr/sbin:/usr/local/sbin\" command -v "
                + ShellQuote.quote(program));
        String path = r.stdout().strip();
        if (r.exitCode() != 0 || !path.startsWith("/")) {
            throw new Failed("Failed to find required executable \"" + program + "\"");
        }
        return path;
    }

    /** The ufw version's major and minor numbers, read as the collection reads them (its greedy pattern). */
    static int[] version(String out) {
        String first = out.lines().filter(l -> !l.isBlank()).findFirst().orElse(null);
        if (first == null) return null;
        Matcher m = VERSION.matcher(first);
        if (!m.matches()) return null;
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    /** The numbers of {@code ufw status numbered}'s rules, and whether each is an IPv6 one. */
    static List<int[]> numbered(String status) {
        List<int[]> out = new ArrayList<>();
        for (String line : status.lines().toList()) {
            Matcher m = NUMBERED.matcher(line);
            if (m.find()) out.add(new int[] {Integer.parseInt(m.group(1)), line.contains("(v6)") ? 1 : 0});
        }
        return out;
    }
}
