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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ansible.builtin.iptables}: one rule (or a chain's policy, a flush, a chain) through the {@code iptables}
 * or {@code ip6tables} command, as Ansible does it: {@code -C} tells whether the rule is there, then {@code -A}
 * or {@code -I} adds it or {@code -D} removes it; {@code policy} reads {@code -L} and sets {@code -P};
 * {@code flush} runs {@code -F}; {@code chain_management} creates ({@code -N}) and deletes ({@code -X}) chains.
 * {@link IptablesRule} builds the rule words. {@code --check} runs only the reading commands.
 */
final class IptablesModule implements Module {
    private static final ArgSpec SPEC = spec0();
    private static final Pattern POLICY = Pattern.compile("\\(policy ([A-Z]+)\\)");

    private static ArgSpec spec0() {
        List<Arg> args = new ArrayList<>(List.of(
                Arg.str("table").choices("filter", "nat", "mangle", "raw", "security").defaultsTo("filter"),
                Arg.str("state").choices("absent", "present").defaultsTo("present"),
                Arg.str("action").choices("append", "insert").defaultsTo("append"),
                Arg.str("ip_version").choices("ipv4", "ipv6").defaultsTo("ipv4"),
                Arg.list("match", ArgType.STR).defaultsTo(List.of()), Arg.dict("tcp_flags"),
                Arg.str("log_level").choices("0", "1", "2", "3", "4", "5", "6", "7", "emerg", "alert", "crit",
                        "error", "warning", "notice", "info", "debug"),
                Arg.list("destination_ports", ArgType.STR).defaultsTo(List.of()),
                Arg.list("ctstate", ArgType.STR).defaultsTo(List.of()),
                Arg.str("match_set_flags").choices("src", "dst", "src,dst", "dst,src"),
                Arg.str("syn").choices("ignore", "match", "negate").defaultsTo("ignore"),
                Arg.bool("flush").defaultsTo(false), Arg.str("policy").choices("ACCEPT", "DROP", "QUEUE", "RETURN"),
                Arg.bool("chain_management").defaultsTo(false)));
        for (String s : List.of("chain", "rule_num", "protocol", "wait", "source", "to_source", "destination",
                "to_destination", "jump", "gateway", "log_prefix", "goto", "in_interface", "out_interface",
                "fragment", "set_counters", "source_port", "destination_port", "to_ports", "set_dscp_mark",
                "set_dscp_mark_class", "comment", "src_range", "dst_range", "match_set", "limit", "limit_burst",
                "uid_owner", "gid_owner", "reject_with", "icmp_type")) {
            args.add(Arg.str(s));
        }
        return ArgSpec.builder().add(args)
                .mutuallyExclusive("set_dscp_mark", "set_dscp_mark_class")
                .mutuallyExclusive("flush", "policy")
                .requiredIf("jump", "TEE", "gateway")
                .requiredIf("jump", "tee", "gateway")
                .build();
    }

    public String name() {
        return "iptables";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    /** A command that must work failed: the task fails with its error output, as Ansible's check_rc. */
    private static final class CommandFailed extends Exception {
        final CommandResult result;
        final String cmd;

        CommandFailed(String cmd, CommandResult result) {
            super(result.stderr().stripTrailing());
            this.cmd = cmd;
            this.result = result;
        }
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException {
        String bin = ctx.str("ip_version").equals("ipv6") ? "ip6tables" : "iptables";
        String rule = String.join(" ", IptablesRule.build(ctx, ctx.str("wait"), ctx.str("jump")));
        boolean flush = ctx.bool("flush");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("ip_version", ctx.str("ip_version"));
        data.put("table", ctx.str("table"));
        // Ansible returns chain: null without a chain; results hold no nulls, so the key is left out.
        if (ctx.has("chain")) data.put("chain", ctx.str("chain"));
        data.put("flush", flush);
        data.put("rule", rule);
        data.put("state", ctx.str("state"));
        data.put("chain_management", ctx.bool("chain_management"));
        if (!flush && !ctx.has("chain")) {
            return TaskOutcome.failed("Either chain or flush parameter must be specified.");
        }
        String jump = ctx.str("jump");
        if (ctx.has("log_prefix") || ctx.has("log_level")) {
            if (jump == null) jump = "LOG";
            else if (!jump.equals("LOG")) {
                return TaskOutcome.failed("Logging options can only be used with the LOG jump target.");
            }
        }
        try {
            String wait = waitFor(ctx, bin, ctx.str("wait"));
            List<String> words = IptablesRule.build(ctx, wait, jump);
            boolean changed;
            if (flush) {
                changed = true;
                if (!ctx.check()) must(ctx, command(ctx, bin, "-F", null));
            } else if (ctx.has("policy")) {
                Matcher m = POLICY.matcher(must(ctx, command(ctx, bin, "-L", null)).stdout().split("\n")[0]);
                if (!m.find()) return TaskOutcome.failed("Can't detect current policy");
                changed = !m.group(1).equals(ctx.str("policy"));
                if (changed && !ctx.check()) {
                    must(ctx, command(ctx, bin, "-P", null) + " " + ShellQuote.quote(ctx.str("policy")));
                }
            } else if (ctx.str("state").equals("absent") && rule.isEmpty()) {
                changed = works(ctx, command(ctx, bin, "-L", null));
                if (changed && ctx.bool("chain_management") && !ctx.check()) {
                    must(ctx, command(ctx, bin, "-X", null));
                }
            } else {
                boolean present = works(ctx, command(ctx, bin, "-C", words));
                boolean chainPresent = present || works(ctx, command(ctx, bin, "-L", null));
                boolean wanted = ctx.str("state").equals("present");
                changed = present != wanted;
                if (changed && !ctx.check()) {
                    if (!wanted) must(ctx, command(ctx, bin, "-D", words));
                    else {
                        if (!chainPresent && ctx.bool("chain_management")) must(ctx, command(ctx, bin, "-N", null));
                        String action = ctx.str("action").equals("insert") ? "-I" : "-A";
                        must(ctx, command(ctx, bin, action, words));
                    }
                }
            }
            return (changed ? TaskOutcome.changed("") : TaskOutcome.ok("")).withData(data);
        } catch (CommandFailed e) {
            return new TaskOutcome(TaskStatus.FAILED, e.result.exitCode(), e.result.stdout(), e.result.stderr(),
                    e.getMessage(), Map.of("cmd", e.cmd));
        }
    }

    /**
     * The {@code -w} value as Ansible passes it: the argument where iptables is 1.6.0 or later, none (an empty
     * value) where it is older than that, and none at all before 1.4.20.
     */
    private static String waitFor(ModuleContext ctx, String bin, String wait) throws TransportException,
            CommandFailed {
        String out = must(ctx, bin + " --version").stdout();
        int v = out.indexOf('v');
        String version = v < 0 ? "" : out.substring(v + 1).strip();
        if (compareVersions(version, "1.4.20") < 0) return null;
        return compareVersions(version, "1.6.0") < 0 ? "" : wait;
    }

    /** Compares the leading dotted numbers of two versions ("1.8.9 (nf_tables)" against "1.6.0"). */
    static int compareVersions(String a, String b) {
        List<Integer> x = numbers(a);
        List<Integer> y = numbers(b);
        for (int i = 0; i < Math.max(x.size(), y.size()); i++) {
            int p = i < x.size() ? x.get(i) : -1;
            int q = i < y.size() ? y.get(i) : -1;
            if (p != q) return Integer.compare(p, q);
        }
        return 0;
    }

    private static final Pattern LEADING_NUMBER = Pattern.compile("^(\\d+)\\.?");

    private static List<Integer> numbers(String version) {
        List<Integer> out = new ArrayList<>();
        String rest = version;
        Matcher m;
        while ((m = LEADING_NUMBER.matcher(rest)).find()) {
            out.add(Integer.parseInt(m.group(1)));
            rest = rest.substring(m.end());
        }
        return out;
    }

    /** {@code bin -t table action chain [rule_num] [rule...]}, every word quoted. */
    static String command(ModuleContext ctx, String bin, String action, List<String> rule) {
        List<String> argv = new ArrayList<>(List.of(bin, "-t", ctx.str("table"), action));
        if (ctx.has("chain")) argv.add(ctx.str("chain"));
        if (action.equals("-I") && ctx.has("rule_num")) argv.add(ctx.str("rule_num"));
        if (rule != null) argv.addAll(rule);
        return ShellQuote.join(argv);
    }

    private static boolean works(ModuleContext ctx, String cmd) throws TransportException {
        return RemoteFiles.sh(ctx, cmd).exitCode() == 0;
    }

    private static CommandResult must(ModuleContext ctx, String cmd) throws TransportException, CommandFailed {
        CommandResult r = RemoteFiles.sh(ctx, cmd);
        if (r.exitCode() != 0) throw new CommandFailed(cmd, r);
        return r;
    }
}
