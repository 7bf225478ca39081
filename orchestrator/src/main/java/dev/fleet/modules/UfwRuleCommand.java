package dev.fleet.modules;

import dev.fleet.transport.TransportException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code rule} part of {@code community.general.ufw}: the command line
 * {@code ufw [--dry-run] [route] [delete] [insert N] RULE [DIRECTION] [on IF] [in on IF] [out on IF] [log]
 * from IP [port P] to IP [port P] [proto P] [app 'NAME'] [comment 'TEXT']}, with {@code insert_relative_to}
 * resolved from {@code ufw status numbered}, and under {@code --check} whether the dry run would change anything.
 */
final class UfwRuleCommand {
    private UfwRuleCommand() {}

    /** An argument combination the collection refuses. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    /** Runs one recorded command (the words joined by spaces). */
    interface Executor {
        String run(List<String> parts, boolean ignoreError) throws TransportException, UfwModule.Failed;
    }

    /** Runs the rule's command; in check mode returns whether it would change the rules, else false. */
    static boolean apply(ModuleContext ctx, Executor exec, List<String> base, String ufw, String preRules)
            throws TransportException, UfwModule.Failed, Refused {
        String direction = ctx.str("direction");
        if (direction != null && !direction.equals("in") && !direction.equals("out")) {
            throw new Refused("For rules, direction must be one of \"in\" and \"out\", or direction must not be"
                    + " specified.");
        }
        if (!ctx.bool("route") && ctx.has("interface_in") && ctx.has("interface_out")) {
            throw new Refused("Only route rules can combine interface_in and interface_out");
        }
        List<String> cmd = new ArrayList<>(base);
        if (ctx.bool("route")) cmd.add("route");
        if (ctx.bool("delete")) cmd.add("delete");
        if (ctx.has("insert") && !ctx.bool("delete")) {
            Integer at = insertAt(ctx, ufw);
            if (at != null) cmd.add("insert " + at);
        }
        cmd.add(ctx.str("rule"));
        if (direction != null) cmd.add(direction);
        optional(cmd, ctx, "interface", "on %s");
        optional(cmd, ctx, "interface_in", "in on %s");
        optional(cmd, ctx, "interface_out", "out on %s");
        if (ctx.bool("log")) cmd.add("log");
        optional(cmd, ctx, "from_ip", "from %s");
        optional(cmd, ctx, "from_port", "port %s");
        optional(cmd, ctx, "to_ip", "to %s");
        optional(cmd, ctx, "to_port", "port %s");
        optional(cmd, ctx, "proto", "proto %s");
        optional(cmd, ctx, "name", "app '%s'");
        int[] version = UfwModule.version(exec.run(List.of(ufw, "--version"), false));
        if (version == null) throw new UfwModule.Failed("Failed to get ufw version.");
        if (version[0] == 0 && version[1] >= 35 || version[0] > 0) optional(cmd, ctx, "comment", "comment '%s'");
        String dry = exec.run(cmd, false);
        return ctx.check() && UfwDryRun.changes(preRules, dry, ctx.str("from_ip"), ctx.str("to_ip"));
    }

    private static void optional(List<String> cmd, ModuleContext ctx, String arg, String template) {
        String v = ctx.str(arg);
        if (v != null && !v.isEmpty()) cmd.add(template.formatted(v));
    }

    /** {@code insert} made absolute as the collection does; null when it lands after the last rule. */
    private static Integer insertAt(ModuleContext ctx, String ufw) throws TransportException {
        int insert = ctx.integer("insert");
        String relative = ctx.str("insert_relative_to");
        if (relative.equals("zero")) return insert;
        List<int[]> lines = UfwModule.numbered(UfwModule.raw(ctx, ufw + " status numbered").stdout());
        int last = lines.stream().mapToInt(l -> l[0]).max().orElse(0);
        boolean hasV4 = lines.stream().anyMatch(l -> l[1] == 0);
        boolean hasV6 = lines.stream().anyMatch(l -> l[1] == 1);
        int lastV4 = lines.stream().filter(l -> l[1] == 0).mapToInt(l -> l[0]).max().orElse(0);
        int base = switch (relative) {
            case "first-ipv4" -> 1;
            case "last-ipv4" -> hasV4 ? lastV4 : 1;
            case "first-ipv6" -> hasV4 ? lastV4 + 1 : 1;
            default -> hasV6 ? last : last + 1;
        };
        int at = insert + base;
        return at > last ? null : at;
    }
}
