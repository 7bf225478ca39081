package dev.fleet.template;

import static dev.fleet.template.Args.unwrap;

import com.hubspot.jinjava.el.ext.NamedParameter;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code version} test: {@code v is version('1.2', '>=', strict=false, version_type='loose')}, with
 * Python's LooseVersion (the default), StrictVersion ({@code strict=true} or {@code 'strict'}) and semantic
 * versions ({@code 'semver'}/{@code 'semantic'}), and every operator spelling Ansible accepts.
 */
final class VersionTest {
    private VersionTest() {}

    static boolean test(Object v, Object[] args) {
        List<Object> pos = new ArrayList<>();
        Object strict = null, type = null;
        for (Object o : args) {
            if (o instanceof NamedParameter np) {
                switch (np.getName()) {
                    case "strict" -> strict = unwrap(np.getValue());
                    case "version_type" -> type = unwrap(np.getValue());
                    case "version" -> pos.add(0, unwrap(np.getValue()));
                    case "operator" -> pos.add(unwrap(np.getValue()));
                    default -> throw new FilterFailure("version test: unexpected argument '" + np.getName() + "'");
                }
            } else {
                pos.add(unwrap(o));
            }
        }
        if (pos.isEmpty()) throw new FilterFailure("the 'version' test needs a version to compare with");
        if (pos.size() > 2) strict = pos.get(2);
        if (pos.size() > 3) type = pos.get(3);
        if (Py.truthy(strict) && type != null)
                throw new FilterFailure("strict and version_type are mutually exclusive");
        String kind = type != null ? Py.str(type).toLowerCase(Locale.ROOT) : Py.truthy(strict) ? "strict" : "loose";
        String op = pos.size() > 1 && pos.get(1) != null ? Py.str(pos.get(1)) : "eq";
        String x = Py.str(v), y = Py.str(pos.get(0));
        if (x.isEmpty()) throw new FilterFailure("Input version value cannot be empty");
        if (y.isEmpty()) throw new FilterFailure("Version parameter to compare against cannot be empty");
        int c = switch (kind) {
            case "loose" -> loose(x, y);
            case "strict" -> strict(x, y);
            case "semver", "semantic" -> semver(x, y);
            default -> throw new FilterFailure("Invalid version type (" + kind + "). Must be one of loose, strict,"
                    + " semver, semantic");
        };
        return switch (op) {
            case "<", "lt" -> c < 0;
            case "<=", "le" -> c <= 0;
            case ">", "gt" -> c > 0;
            case ">=", "ge" -> c >= 0;
            case "==", "=", "eq" -> c == 0;
            case "!=", "<>", "ne" -> c != 0;
            default -> throw new FilterFailure("Invalid operator type (" + op + ")");
        };
    }

    private static final Pattern LOOSE_PART = Pattern.compile("\\d+|[a-zA-Z]+");

    /** LooseVersion: numbers compare as numbers, words as strings, a number beats a word. */
    static int loose(String x, String y) {
        List<String> a = parts(x), b = parts(y);
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            if (i >= a.size()) return -1;
            if (i >= b.size()) return 1;
            String p = a.get(i), q = b.get(i);
            boolean pn = Character.isDigit(p.charAt(0)), qn = Character.isDigit(q.charAt(0));
            int c = pn && qn ? new BigInteger(p).compareTo(new BigInteger(q)) : pn ? 1 : qn ? -1 : p.compareTo(q);
            if (c != 0) return c;
        }
        return 0;
    }

    private static List<String> parts(String v) {
        List<String> parts = new ArrayList<>();
        Matcher m = LOOSE_PART.matcher(v.strip());
        while (m.find()) parts.add(m.group());
        return parts;
    }

    private static final Pattern STRICT = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?(?:([ab])(\\d+))?");

    /** StrictVersion: N.N[.N][a|bN]; a missing patch is 0, a pre-release sorts before its release. */
    static int strict(String x, String y) {
        Matcher a = strictMatch(x), b = strictMatch(y);
        for (int g = 1; g <= 3; g++) {
            int c = new BigInteger(a.group(g) == null ? "0" : a.group(g))
                    .compareTo(new BigInteger(b.group(g) == null ? "0" : b.group(g)));
            if (c != 0) return c;
        }
        if (a.group(4) == null || b.group(4) == null) return a.group(4) == null ? (b.group(4) == null ? 0 : 1) : -1;
        int c = a.group(4).compareTo(b.group(4));
        return c != 0 ? c : new BigInteger(a.group(5)).compareTo(new BigInteger(b.group(5)));
    }

    private static Matcher strictMatch(String v) {
        Matcher m = STRICT.matcher(v);
        if (!m.matches()) throw new FilterFailure("Version comparison failed: invalid version number '" + v + "'");
        return m;
    }

    private static final Pattern SEMVER = Pattern.compile(
            "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
                    + "(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?(?:\\+[0-9A-Za-z-.]+)?");

    /** Semantic Versioning 2.0.0 precedence; build metadata is ignored. */
    static int semver(String x, String y) {
        Matcher a = semverMatch(x), b = semverMatch(y);
        for (int g = 1; g <= 3; g++) {
            int c = new BigInteger(a.group(g)).compareTo(new BigInteger(b.group(g)));
            if (c != 0) return c;
        }
        String pa = a.group(4), pb = b.group(4);
        if (pa == null || pb == null) return pa == null ? (pb == null ? 0 : 1) : -1;
        String[] ia = pa.split("\\."), ib = pb.split("\\.");
        for (int i = 0; i < Math.min(ia.length, ib.length); i++) {
            boolean na = ia[i].matches("\\d+"), nb = ib[i].matches("\\d+");
            int c = na && nb ? new BigInteger(ia[i]).compareTo(new BigInteger(ib[i])) : na ? -1 : nb ? 1
                    : ia[i].compareTo(ib[i]);
            if (c != 0) return c;
        }
        return Integer.compare(ia.length, ib.length);
    }

    private static Matcher semverMatch(String v) {
        Matcher m = SEMVER.matcher(v);
        if (!m.matches()) throw new FilterFailure("Version comparison failed: invalid semantic version '" + v + "'");
        return m;
    }
}
