package dev.fleet.template;

import static dev.fleet.template.Args.attribute;
import static dev.fleet.template.Args.checkLength;
import static dev.fleet.template.Args.list;
import static dev.fleet.template.Args.unwrap;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/** Filters on strings: {@code join}, {@code split}, {@code quote}, base64. */
final class StringFilters {
    private StringFilters() {}

    static String join(Object v, String sep, Object attribute) {
        StringBuilder sb = new StringBuilder();
        boolean first = true;
        for (Object o : list(v, "join")) {
            if (!first) sb.append(sep);
            first = false;
            Object item = attribute != null ? attribute(o, Py.str(attribute)) : o;
            sb.append(Py.str(unwrap(item)));
            checkLength(sb.length());
        }
        return sb.toString();
    }

    /** Python's str.split: no separator splits on runs of whitespace and drops empty strings. */
    static List<Object> split(String s, Object sepArg, int maxsplit) {
        List<Object> out = new ArrayList<>();
        if (sepArg == null) {
            String rest = s.strip();
            if (rest.isEmpty()) return out;
            String[] parts = maxsplit < 0 ? rest.split("\\s+") : rest.split("\\s+", maxsplit + 1);
            out.addAll(Arrays.asList(parts));
            return out;
        }
        String sep = Py.str(sepArg);
        if (sep.isEmpty()) throw new FilterFailure("empty separator");
        int from = 0, n = 0;
        while (maxsplit < 0 || n < maxsplit) {
            int i = s.indexOf(sep, from);
            if (i < 0) break;
            out.add(s.substring(from, i));
            from = i + sep.length();
            n++;
        }
        out.add(s.substring(from));
        return out;
    }

    static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    /** Python's shlex.quote. */
    static String shellQuote(String s) {
        if (s.isEmpty()) return "''";
        if (SHELL_SAFE.matcher(s).matches()) return s;
        return "'" + s.replace("'", "'\"'\"'") + "'";
    }

    static String b64decode(String s) {
        try {
            return new String(Base64.getMimeDecoder().decode(s.strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new FilterFailure("b64decode: " + e.getMessage());
        }
    }

    static Object b64encode(Object v, Object[] a, java.util.Map<String, Object> kw) {
        return Base64.getEncoder().encodeToString(Py.str(v).getBytes(StandardCharsets.UTF_8));
    }

    static Object b64decode(Object v, Object[] a, java.util.Map<String, Object> kw) {
        return b64decode(Py.str(v));
    }
}
