package dev.fleet.template;

import static dev.fleet.template.Args.arg;
import static dev.fleet.template.Args.intArg;
import static dev.fleet.template.Args.unwrap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * Ansible's regex filters and tests. Patterns and replacements are Python's syntax, through
 * {@link PythonRegex}, which also bounds the work one match may do.
 */
final class RegexFilters {
    private RegexFilters() {}

    private static int flags(Object ignorecase, Object multiline) {
        return (Py.truthy(ignorecase) ? PythonRegex.IGNORECASE : 0)
                | (Py.truthy(multiline) ? PythonRegex.MULTILINE : 0);
    }

    /**
     * {@code regex_search(pattern, '\\1', '\\g<name>', ignorecase=, multiline=)}: the match, or the groups asked for.
     */
    static Object search(Object v, Object[] a, Map<String, Object> kw) {
        if (a.length < 1) throw new FilterFailure("regex_search needs a pattern");
        PythonRegex re = PythonRegex.compile(Py.str(unwrap(a[0])),
                flags(kw.getOrDefault("ignorecase", false), kw.getOrDefault("multiline", false)));
        List<Integer> groups = new ArrayList<>();
        for (int i = 1; i < a.length; i++) {
            String g = Py.str(unwrap(a[i]));
            if (g.startsWith("\\g<") && g.endsWith(">")) groups.add(re.groupIndex(g.substring(3, g.length() - 1)));
            else if (g.matches("\\\\\\d+")) groups.add(re.groupIndex(g.substring(1)));
            else throw new FilterFailure(
                    "regex_search: unknown argument '" + g + "' (expected '\\\\1' or '\\\\g<name>')");
        }
        Matcher m = re.matcher(Py.str(v));
        if (!m.find()) return null;
        if (groups.isEmpty()) return m.group();
        List<Object> out = new ArrayList<>();
        for (int g : groups) out.add(m.group(g));
        return out;
    }

    /** {@code regex_replace(pattern, replacement, ignorecase, multiline, count=)}: Python's re.sub. */
    static Object replace(Object v, Object[] a, Map<String, Object> kw) {
        PythonRegex re = PythonRegex.compile(Py.str(arg(a, kw, 0, "pattern", "")),
                flags(arg(a, kw, 2, "ignorecase", false), arg(a, kw, 3, "multiline", false)));
        String repl = Py.str(arg(a, kw, 1, "replacement", ""));
        int count = intArg(arg(a, kw, -1, "count", 0));
        return re.sub(repl, Py.str(v), count, maxLength());
    }

    private static long maxLength() {
        var interp = com.hubspot.jinjava.interpret.JinjavaInterpreter.getCurrent();
        long max = interp == null ? 0 : interp.getConfig().getMaxOutputSize();
        return max > 0 ? max : Long.MAX_VALUE;
    }

    /** {@code regex_findall(pattern, multiline, ignorecase)}: Python's re.findall (note the argument order). */
    static Object findall(Object v, Object[] a, Map<String, Object> kw) {
        if (a.length < 1) throw new FilterFailure("regex_findall needs a pattern");
        PythonRegex re = PythonRegex.compile(Py.str(unwrap(a[0])),
                flags(arg(a, kw, 2, "ignorecase", false), arg(a, kw, 1, "multiline", false)));
        Matcher m = re.matcher(Py.str(v));
        List<Object> out = new ArrayList<>();
        while (m.find()) {
            if (m.groupCount() == 0) out.add(m.group());
            else if (m.groupCount() == 1) out.add(m.group(1) == null ? "" : m.group(1));
            else {
                List<Object> groups = new ArrayList<>();
                for (int i = 1; i <= m.groupCount(); i++) groups.add(m.group(i) == null ? "" : m.group(i));
                out.add(groups);
            }
            if (out.size() > 1_000_000) throw new FilterFailure("regex_findall: too many matches");
        }
        return out;
    }

    /** {@code regex_escape(re_type='python')}; {@code posix_basic} escapes only what a BRE treats specially. */
    static Object escape(Object v, Object[] a, Map<String, Object> kw) {
        String s = Py.str(v);
        String type = Py.str(arg(a, kw, 0, "re_type", "python"));
        return switch (type) {
            case "python" -> PythonRegex.escape(s);
            case "posix_basic" -> {
                StringBuilder sb = new StringBuilder();
                for (char c : s.toCharArray()) sb.append("].[^$*\\".indexOf(c) >= 0 ? "\\" : "").append(c);
                yield sb.toString();
            }
            case "posix_extended" -> throw new FilterFailure("Regex type (posix_extended) not yet implemented");
            default -> throw new FilterFailure("Invalid regex type (" + type + ")");
        };
    }

    /** The {@code match}, {@code search} and {@code regex} tests: (pattern, ignorecase, multiline[, match_type]). */
    static boolean test(Object v, Object[] a, String how) {
        if (a.length < 1) throw new FilterFailure("the '" + how + "' test needs a pattern");
        int flags = flags(a.length > 1 && Py.truthy(a[1]), a.length > 2 && Py.truthy(a[2]));
        Matcher m = PythonRegex.compile(Py.str(unwrap(a[0])), flags).matcher(Py.str(v));
        return switch (how) {
            case "match" -> m.lookingAt();
            case "search" -> m.find();
            case "fullmatch" -> m.matches();
            default -> throw new FilterFailure("match_type must be match, search or fullmatch, not '" + how + "'");
        };
    }
}
