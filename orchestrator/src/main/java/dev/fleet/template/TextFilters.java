package dev.fleet.template;

import static dev.fleet.template.Args.arg;
import static dev.fleet.template.Args.checkLength;
import static dev.fleet.template.Args.intArg;
import static dev.fleet.template.Args.unwrap;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Text-producing filters: {@code comment}, {@code human_readable}, {@code human_to_bytes}, {@code urlsplit}. */
final class TextFilters {
    private TextFilters() {}

    private record Style(String beginning, String decoration, String end) {}

    private static final Map<String, Style> STYLES = Map.of(
            "plain", new Style("", "# ", ""),
            "erlang", new Style("", "% ", ""),
            "c", new Style("", "// ", ""),
            "cblock", new Style("/*", " * ", " */"),
            "xml", new Style("<!--", " - ", "-->"));

    /**
     * {@code comment(style='plain', decoration=, prefix=, prefix_count=1, postfix=, postfix_count=1,
     * beginning=, end=, newline='\n')}: the text as a comment block; prefix and postfix default to the
     * decoration without its trailing spaces.
     */
    static Object comment(Object v, Object[] a, Map<String, Object> kw) {
        String styleName = Py.str(arg(a, kw, 0, "style", "plain"));
        Style style = STYLES.get(styleName);
        if (style == null) throw new FilterFailure("comment: unknown style '" + styleName
                + "'; use plain, erlang, c, cblock or xml");
        String decoration = kw.containsKey("decoration") ? Py.str(unwrap(kw.get("decoration"))) : style.decoration();
        String nl = Py.str(arg(a, kw, -1, "newline", "\n"));
        String beginning = Py.str(arg(a, kw, -1, "beginning", style.beginning()));
        String end = Py.str(arg(a, kw, -1, "end", style.end()));
        String prefix = Py.str(arg(a, kw, -1, "prefix", decoration.stripTrailing()));
        String postfix = Py.str(arg(a, kw, -1, "postfix", decoration.stripTrailing()));
        int prefixCount = intArg(arg(a, kw, -1, "prefix_count", 1));
        int postfixCount = intArg(arg(a, kw, -1, "postfix_count", 1));
        if (prefixCount > 1000 || postfixCount > 1000)
                throw new FilterFailure("comment: prefix/postfix count over 1000");

        StringBuilder sb = new StringBuilder();
        if (!beginning.isEmpty()) sb.append(beginning).append(nl);
        if (!prefix.isEmpty()) sb.append((prefix.equals(nl) ? nl : prefix + nl).repeat(Math.max(0, prefixCount)));
        String body = (decoration + Py.str(v)).replace(nl, nl + decoration)
                .replace(decoration + nl, decoration.stripTrailing() + nl); // no trailing spaces on empty lines
        sb.append(body);
        for (int i = 0; i < postfixCount; i++) sb.append(nl).append(postfix);
        if (!end.isEmpty()) sb.append(nl).append(end);
        checkLength(sb.length());
        return sb.toString();
    }

    private static final String UNITS = "BKMGTPEZY";

    /** {@code human_readable(isbits=False, unit=None)}: "1.00 KB", "123.00 Bytes", "1.00 Mb". */
    static Object humanReadable(Object v, Object[] a, Map<String, Object> kw) {
        if (!(TypeFilters.toFloat(v, null) instanceof Number n)) {
            throw new FilterFailure("human_readable() can't interpret '" + Py.str(v) + "' as a number");
        }
        double size = n.doubleValue();
        boolean bits = Py.truthy(arg(a, kw, 0, "isbits", false));
        Object unit = arg(a, kw, 1, "unit", null);
        int power = 0;
        for (int p = UNITS.length() - 1; p >= 0; p--) {
            boolean chosen = unit == null ? size >= Math.pow(1024, p)
                    : Py.str(unit).toUpperCase(Locale.ROOT).startsWith(String.valueOf(UNITS.charAt(p)));
            if (chosen) {
                power = p;
                break;
            }
        }
        String suffix = power == 0 ? (bits ? "bits" : "Bytes") : UNITS.charAt(power) + (bits ? "b" : "B");
        return String.format(Locale.ROOT, "%.2f %s", size / Math.pow(1024, power), suffix);
    }

    /** {@code human_to_bytes(default_unit=None, isbits=False)}: "1.5 MB" to 1572864; bits want a lower-case b. */
    static Object humanToBytes(Object v, Object[] a, Map<String, Object> kw) {
        String s = Py.str(v).strip();
        boolean bits = Py.truthy(arg(a, kw, 1, "isbits", false));
        Object dflt = arg(a, kw, 0, "default_unit", null);
        var m = java.util.regex.Pattern.compile("(\\d*\\.?\\d*)\\s*([A-Za-z]+)?").matcher(s);
        if (!m.matches() || m.group(1).isEmpty() || m.group(1).equals(".")) {
            throw new FilterFailure("human_to_bytes() can't interpret the following string: " + s);
        }
        double num = Double.parseDouble(m.group(1));
        String unit = m.group(2) != null ? m.group(2) : dflt != null ? Py.str(dflt) : null;
        if (unit == null) return Py.export(Math.round(num));
        int power = UNITS.indexOf(Character.toUpperCase(unit.charAt(0)));
        boolean bare = unit.length() == 1 || unit.equalsIgnoreCase("bytes") || unit.equalsIgnoreCase("bits");
        boolean ok = power >= 0 && (bare || unit.length() == 2 && unit.charAt(1) == (bits ? 'b' : 'B'))
                && !(unit.equalsIgnoreCase("bytes") && bits) && !(unit.equalsIgnoreCase("bits") && !bits);
        if (!ok) {
            throw new FilterFailure("human_to_bytes() failed to convert " + s + ". Value is not a valid string ("
                    + (bits ? "expect Kb, Mb, ..." : "expect KB, MB, ...") + ")");
        }
        return Py.export(Math.round(num * Math.pow(1024, power)));
    }

    /** {@code urlsplit(query='')}: Python's urlsplit as a dict, or one of its fields. */
    static Object urlsplit(Object v, Object[] a, Map<String, Object> kw) {
        String url = Py.str(v);
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            throw new FilterFailure("urlsplit: '" + url + "' is not a URL: " + e.getReason());
        }
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put("fragment", u.getRawFragment() == null ? "" : u.getRawFragment());
        parts.put("hostname", u.getHost() == null ? null : u.getHost().toLowerCase(Locale.ROOT));
        parts.put("netloc", u.getRawAuthority() == null ? "" : u.getRawAuthority());
        String userInfo = u.getRawUserInfo();
        int colon = userInfo == null ? -1 : userInfo.indexOf(':');
        parts.put("password", colon < 0 ? null : userInfo.substring(colon + 1));
        parts.put("path", u.getRawPath() == null ? "" : u.getRawPath());
        parts.put("port", u.getPort() < 0 ? null : u.getPort());
        parts.put("query", u.getRawQuery() == null ? "" : u.getRawQuery());
        parts.put("scheme", u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT));
        parts.put("username", userInfo == null ? null : colon < 0 ? userInfo : userInfo.substring(0, colon));
        Object query = arg(a, kw, 0, "query", "");
        if (query == null || Py.str(query).isEmpty()) return parts;
        if (!parts.containsKey(Py.str(query)))
                throw new FilterFailure("urlsplit: unknown URL component: " + Py.str(query));
        return parts.get(Py.str(query));
    }
}
