package dev.fleet.modules;

import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * How {@code community.general.ufw} decides in {@code --check} whether a rule would change anything: it compares
 * the {@code ### tuple} lines of the current user rules with those {@code ufw --dry-run} prints, only the IPv4 (or
 * IPv6) ones when the rule's address is one; all lines "Skipping ..." means no change.
 */
final class UfwDryRun {
    private UfwDryRun() {}

    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|(2[0-4]|1?[0-9])?[0-9])\\.){3}(25[0-5]|(2[0-4]|1?[0-9])?[0-9])");
    private static final Pattern IPV6 = Pattern.compile("(([0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}"
            + "|([0-9a-fA-F]{1,4}:){1,7}:|([0-9a-fA-F]{1,4}:){1,6}:[0-9a-fA-F]{1,4}"
            + "|([0-9a-fA-F]{1,4}:){1,5}(:[0-9a-fA-F]{1,4}){1,2}|([0-9a-fA-F]{1,4}:){1,4}(:[0-9a-fA-F]{1,4}){1,3}"
            + "|([0-9a-fA-F]{1,4}:){1,3}(:[0-9a-fA-F]{1,4}){1,4}|([0-9a-fA-F]{1,4}:){1,2}(:[0-9a-fA-F]{1,4}){1,5}"
            + "|[0-9a-fA-F]{1,4}:((:[0-9a-fA-F]{1,4}){1,6})|:((:[0-9a-fA-F]{1,4}){1,7}|:)"
            + "|fe80:(:[0-9a-fA-F]{0,4}){0,4}%[0-9a-zA-Z]+"
            + "|::(ffff(:0{1,4})?:)?((25[0-5]|(2[0-4]|1?[0-9])?[0-9])\\.){3}(25[0-5]|(2[0-4]|1?[0-9])?[0-9])"
            + "|([0-9a-fA-F]{1,4}:){1,4}:((25[0-5]|(2[0-4]|1?[0-9])?[0-9])\\.){3}(25[0-5]|(2[0-4]|1?[0-9])?[0-9]))");

    /** Whether the dry run's output means the rule would change the user rules. */
    static boolean changes(String preRules, String dryRun, String fromIp, String toIp) {
        List<String> dry = lines(dryRun);
        long skipping = dry.stream().filter(l -> l.contains("Skipping")).count();
        if (skipping > 0 && skipping == dry.size()) return false;
        String tuples = join(dry, l -> l.startsWith("### tuple"));
        if (startsWith(IPV4, fromIp) || startsWith(IPV4, toIp)) {
            return !join(lines(preRules), l -> IPV4.matcher(l).find()).equals(join(lines(tuples),
                    l -> IPV4.matcher(l).find()));
        }
        if (startsWith(IPV6, fromIp) || startsWith(IPV6, toIp)) {
            return !join(lines(preRules), l -> IPV6.matcher(l).find()).equals(join(lines(tuples),
                    l -> IPV6.matcher(l).find()));
        }
        return !preRules.equals(tuples);
    }

    private static boolean startsWith(Pattern p, String s) {
        return s != null && p.matcher(s).lookingAt();
    }

    /** Lines keeping their line ends, as Python's {@code splitlines(True)}. */
    private static List<String> lines(String text) {
        return LineEdits.splitLines(text, true);
    }

    private static String join(List<String> lines, Predicate<String> keep) {
        StringBuilder s = new StringBuilder();
        for (String l : lines) {
            if (keep.test(l)) s.append(l);
        }
        return s.toString();
    }
}
