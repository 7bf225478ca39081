package dev.fleet.modules;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One entry of the {@code pip} module's {@code name}, as Ansible reads it: a distribution name with optional
 * extras and version specifiers ({@code bottle>0.10,<0.20,!=0.11}), or anything else (a URL, a path) passed to pip
 * as it is. Check mode asks {@link #isSatisfiedBy} of each installed {@code name==version}.
 *
 * @param text  what goes on pip's command line
 * @param name  the canonical distribution name (lower case, runs of {@code -_.} as one {@code -}), or null when
 *              {@code text} is not a plain requirement
 * @param specs the version specifiers, e.g. {@code [">=1.0", "!=1.3"]}
 */
record PipRequirement(String text, String name, List<String> specs) {
    private static final Pattern PLAIN = Pattern.compile(
            "\\s*([A-Za-z0-9][A-Za-z0-9._-]*)\\s*(\\[[^\\]]*\\])?\\s*"
                    + "((?:[<>=!~]=?=?\\s*[A-Za-z0-9.*+!_-]+\\s*,?\\s*)*)");
    private static final Pattern SPEC = Pattern.compile("(~=|===|==|!=|<=|>=|<|>)\\s*([A-Za-z0-9.*+!_-]+)");
    private static final List<String> OPERATORS = List.of(">=", "<=", ">", "<", "==", "!=", "~=");

    static PipRequirement parse(String text) {
        Matcher m = PLAIN.matcher(text);
        if (!m.matches()) return new PipRequirement(text, null, List.of());
        List<String> specs = new ArrayList<>();
        Matcher s = SPEC.matcher(m.group(3));
        while (s.find()) specs.add(s.group(1) + s.group(2));
        return new PipRequirement(text, canonical(m.group(1)), specs);
    }

    /** {@code name} with {@code version}: {@code name==1.0} for a bare number, else {@code name >=1.0}. */
    PipRequirement withVersion(String version) {
        String v = version.strip();
        return parse(text + (Character.isDigit(v.charAt(0)) ? "==" : " ") + v);
    }

    boolean hasVersionSpecifier() {
        return !specs.isEmpty();
    }

    static String canonical(String name) {
        return name.replaceAll("[-_.]+", "-").toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Ansible's {@code _recover_package_name}: the list is split on commas and put back together so that a
     * specifier that lost its package ({@code ["django>1.11.1", "<1.11.3"]}) joins the one before it.
     */
    static List<String> recover(List<String> names) {
        List<String> pieces = new ArrayList<>();
        for (String n : names) pieces.addAll(List.of(n.split(",", -1)));
        List<String> out = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        boolean inBrackets = false;
        for (String piece : pieces) {
            boolean isName = OPERATORS.stream().noneMatch(op -> piece.stripLeading().startsWith(op));
            if (isName && !inBrackets) {
                if (!parts.isEmpty()) out.add(String.join(",", parts));
                parts = new ArrayList<>();
            }
            if (piece.contains("[")) inBrackets = true;
            if (inBrackets && piece.contains("]")) inBrackets = false;
            parts.add(piece);
        }
        out.add(String.join(",", parts));
        return out;
    }

    /** Whether an installed {@code version} meets every specifier (pre-releases included, as Ansible asks). */
    boolean isSatisfiedBy(String version) {
        if (name == null) return false;
        for (String spec : specs) {
            Matcher s = SPEC.matcher(spec);
            if (!s.matches() || !holds(s.group(1), s.group(2), version)) return false;
        }
        return true;
    }

    private static boolean holds(String op, String wanted, String have) {
        if (wanted.endsWith(".*")) {
            String prefix = wanted.substring(0, wanted.length() - 2);
            boolean under = startsWithRelease(have, prefix);
            return op.equals("!=") != under;
        }
        int c = compare(have, wanted);
        return switch (op) {
            case "==", "===" -> c == 0;
            case "!=" -> c != 0;
            case ">=" -> c >= 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            case "<" -> c < 0;
            case "~=" -> c >= 0 && startsWithRelease(have, wanted.substring(0, Math.max(0,
                    wanted.lastIndexOf('.'))));
            default -> false;
        };
    }

    /** Whether the release numbers of {@code version} begin with those of {@code prefix}. */
    private static boolean startsWithRelease(String version, String prefix) {
        List<Long> v = release(version);
        List<Long> p = release(prefix);
        for (int i = 0; i < p.size(); i++) {
            if (i >= v.size() ? p.get(i) != 0 : !v.get(i).equals(p.get(i))) return false;
        }
        return true;
    }

    /**
     * Compares two versions: release numbers (missing ones are 0), then a pre-release ({@code a}, {@code b},
     * {@code rc}, {@code dev}) before the release itself; enough for the versions pip lists.
     */
    static int compare(String a, String b) {
        List<Long> x = release(a);
        List<Long> y = release(b);
        for (int i = 0; i < Math.max(x.size(), y.size()); i++) {
            long p = i < x.size() ? x.get(i) : 0;
            long q = i < y.size() ? y.get(i) : 0;
            if (p != q) return Long.compare(p, q);
        }
        return suffix(a).compareTo(suffix(b));
    }

    private static List<Long> release(String v) {
        List<Long> out = new ArrayList<>();
        for (String part : v.split("\\.")) {
            Matcher m = Pattern.compile("^(\\d+)").matcher(part);
            if (!m.find()) break;
            out.add(Long.parseLong(m.group(1)));
            if (m.end() < part.length()) break;
        }
        return out;
    }

    /** Orders what follows the release numbers: dev < a < b < rc < (nothing) < post. */
    private static String suffix(String v) {
        String rest = v.replaceFirst("^[0-9.]*", "").toLowerCase(java.util.Locale.ROOT);
        if (rest.isEmpty()) return "4";
        if (rest.contains("dev")) return "0" + rest;
        if (rest.startsWith("a")) return "1" + rest;
        if (rest.startsWith("b")) return "2" + rest;
        if (rest.startsWith("rc") || rest.startsWith("c")) return "3" + rest;
        return "5" + rest;
    }
}
