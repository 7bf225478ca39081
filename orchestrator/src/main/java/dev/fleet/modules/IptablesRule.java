package dev.fleet.modules;

import java.util.ArrayList;
import java.util.List;

/**
 * The rule part of an {@code iptables} command line, built from the module's arguments in exactly the order and
 * spelling {@code ansible.builtin.iptables} uses (its result's {@code rule} is these words joined by spaces). A
 * value starting with {@code !} is negated: {@code source: "!10.0.0.1"} gives {@code ! -s 10.0.0.1}.
 */
final class IptablesRule {
    private final ModuleContext ctx;
    private final List<String> rule = new ArrayList<>();

    private IptablesRule(ModuleContext ctx) {
        this.ctx = ctx;
    }

    /**
     * The rule words.
     *
     * @param wait the {@code -w} value to use (the argument, or as the installed iptables supports it); null or
     *             empty for none
     * @param jump the jump target (the argument, or {@code LOG} when only logging options were given)
     */
    static List<String> build(ModuleContext ctx, String wait, String jump) {
        return new IptablesRule(ctx).construct(wait, jump);
    }

    private List<String> construct(String wait, String jump) {
        if (wait != null && !wait.isEmpty()) rule.addAll(List.of("-w", wait));
        param("protocol", "-p");
        param("source", "-s");
        param("destination", "-d");
        List<String> match = ctx.strings("match");
        for (String m : match) value(m, "-m");
        tcpFlags();
        value(jump, "-j");
        if (jump != null && jump.equalsIgnoreCase("tee")) param("gateway", "--gateway");
        param("log_prefix", "--log-prefix");
        param("log_level", "--log-level");
        param("to_destination", "--to-destination");
        csv("destination_ports", "multiport", "--dports");
        param("to_source", "--to-source");
        param("goto", "-g");
        param("in_interface", "-i");
        param("out_interface", "-o");
        param("fragment", "-f");
        param("set_counters", "-c");
        param("source_port", "--source-port");
        param("destination_port", "--destination-port");
        param("to_ports", "--to-ports");
        param("set_dscp_mark", "--set-dscp");
        param("set_dscp_mark_class", "--set-dscp-class");
        String syn = ctx.str("syn");
        if (syn.equals("match")) rule.add("--syn");
        else if (syn.equals("negate")) rule.addAll(List.of("!", "--syn"));
        if (match.contains("conntrack")) csv("ctstate", null, "--ctstate");
        else if (match.contains("state")) csv("ctstate", null, "--state");
        else csv("ctstate", "conntrack", "--ctstate");
        if (!match.contains("iprange") && (ctx.has("src_range") || ctx.has("dst_range"))) {
            rule.addAll(List.of("-m", "iprange"));
        }
        param("src_range", "--src-range");
        param("dst_range", "--dst-range");
        if (!match.contains("set") && ctx.has("match_set")) rule.addAll(List.of("-m", "set"));
        param("match_set", "--match-set");
        if (ctx.has("match_set") && ctx.has("match_set_flags")) rule.add(ctx.str("match_set_flags"));
        if (ctx.has("limit") || ctx.has("limit_burst")) rule.addAll(List.of("-m", "limit"));
        param("limit", "--limit");
        param("limit_burst", "--limit-burst");
        owner("uid_owner", "--uid-owner");
        owner("gid_owner", "--gid-owner");
        if (jump == null && ctx.has("reject_with")) rule.addAll(List.of("-j", "REJECT"));
        param("reject_with", "--reject-with");
        param("icmp_type", ctx.str("ip_version").equals("ipv6") ? "--icmpv6-type" : "--icmp-type");
        if (ctx.has("comment")) rule.addAll(List.of("-m", "comment"));
        param("comment", "--comment");
        return List.copyOf(rule);
    }

    private void param(String arg, String flag) {
        value(ctx.str(arg), flag);
    }

    /** {@code flag value}, or {@code ! flag rest} for a value starting with {@code !}; nothing for null. */
    private void value(String value, String flag) {
        if (value == null) return;
        if (value.startsWith("!")) rule.addAll(List.of("!", flag, value.substring(1)));
        else rule.addAll(List.of(flag, value));
    }

    /** A list argument as {@code [-m match] flag a,b}; nothing when empty. */
    private void csv(String arg, String match, String flag) {
        List<String> items = ctx.strings(arg);
        if (items.isEmpty()) return;
        if (match != null) rule.addAll(List.of("-m", match));
        rule.addAll(List.of(flag, String.join(",", items)));
    }

    /** {@code -m owner --uid-owner N}; the flag appears twice as in Ansible when the value is "match"/"negate". */
    private void owner(String arg, String flag) {
        String v = ctx.str(arg);
        if (v == null) return;
        rule.addAll(List.of("-m", "owner"));
        if (v.equals("match")) rule.add(flag);
        else if (v.equals("negate")) rule.addAll(List.of("!", flag));
        value(v, flag);
    }

    private void tcpFlags() {
        var flags = ctx.dict("tcp_flags");
        if (flags.containsKey("flags") && flags.containsKey("flags_set")) {
            rule.addAll(List.of("--tcp-flags", joined(flags.get("flags")), joined(flags.get("flags_set"))));
        }
    }

    private static String joined(Object list) {
        if (list instanceof List<?> l) return String.join(",", l.stream().map(String::valueOf).toList());
        return String.valueOf(list);
    }
}
