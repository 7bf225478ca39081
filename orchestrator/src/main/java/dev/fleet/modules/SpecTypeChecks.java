package dev.fleet.modules;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The type checks of an argument spec given as data ({@code validate_argument_spec}, a role's
 * {@code meta/argument_specs.yml}), as Ansible's validator applies them: its conversions (a float is not an int,
 * "a,b" splits without stripping, a bool is an int as in Python) and its messages, which playbooks match on. Module
 * arguments use {@link ArgType}, whose conversions are fleet's own and friendlier; these must be Ansible's.
 */
final class SpecTypeChecks {
    private SpecTypeChecks() {}

    /** The value cannot be of the wanted type; the message is Ansible's reason. */
    static final class Unconvertible extends Exception {
        Unconvertible(String message) {
            super(message);
        }
    }

    private static final List<String> TRUE = List.of("y", "yes", "on", "1", "true", "t");
    private static final List<String> FALSE = List.of("n", "no", "off", "0", "false", "f");
    /** What Ansible lists as valid booleans (its set's order varies; this is one of them). */
    private static final String VALID_BOOLEANS = "'y', 'yes', 'on', '1', 'true', 't', 1, 1.0, True, 'n', 'no', "
            + "'off', '0', 'false', 'f', 0, 0.0, False";
    private static final Set<String> KNOWN = Set.of("str", "list", "dict", "bool", "int", "float", "path", "raw",
            "bytes", "bits", "json", "jsonarg");
    private static final Pattern PY_INT = Pattern.compile("\\s*[-+]?\\d+(_\\d+)*\\s*");
    private static final Pattern HUMAN_SIZE = Pattern.compile("^\\s*(\\d*\\.?\\d*)\\s*([A-Za-z]+)?");
    private static final String UNITS = "BKMGTPEZY";

    /** The value converted to {@code type} ({@code str} when null). */
    static Object convert(String type, Object v) throws Unconvertible {
        String t = type == null ? "str" : type;
        if (!KNOWN.contains(t)) throw new Unconvertible("'NoneType' object is not callable");
        return switch (t) {
            case "str", "path" -> v instanceof String s ? s : pyStr(v);
            case "list" -> list(v);
            case "dict" -> dict(v);
            case "bool" -> bool(v);
            case "int" -> integer(v);
            case "float" -> decimal(v);
            case "bytes" -> humanSize(v, false);
            case "bits" -> humanSize(v, true);
            case "json", "jsonarg" -> json(v);
            default -> v; // raw
        };
    }

    private static Object list(Object v) throws Unconvertible {
        if (v instanceof List<?> l) return l;
        if (v instanceof String s) return List.of(s.split(",", -1));
        if (v instanceof Number || v instanceof Boolean) return List.of(pyStr(v));
        throw new Unconvertible(pyType(v) + " cannot be converted to a list");
    }

    static Object dict(Object v) throws Unconvertible {
        if (v instanceof Map<?, ?> m) return m;
        if (v instanceof String s) {
            if (s.startsWith("{")) {
                try {
                    return new JsonObject(s).getMap();
                } catch (RuntimeException e) {
                    throw new Unconvertible("unable to evaluate string as dictionary");
                }
            }
            if (s.contains("=")) return keyValues(s);
            throw new Unconvertible("dictionary requested, could not parse JSON or key=value");
        }
        throw new Unconvertible(pyType(v) + " cannot be converted to a dict");
    }

    /** {@code a=1 b="x y",c=2}: fields split on blanks and commas outside quotes, backslash escapes. */
    private static Map<String, Object> keyValues(String s) throws Unconvertible {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        char quote = 0;
        boolean escape = false;
        for (char c : s.strip().toCharArray()) {
            if (escape) {
                field.append(c);
                escape = false;
            } else if (c == '\\') {
                escape = true;
            } else if (quote == 0 && (c == '\'' || c == '"')) {
                quote = c;
            } else if (quote != 0 && c == quote) {
                quote = 0;
            } else if (quote == 0 && (c == ',' || c == ' ')) {
                if (!field.isEmpty()) fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        if (!field.isEmpty()) fields.add(field.toString());
        Map<String, Object> out = new LinkedHashMap<>();
        for (String f : fields) {
            int eq = f.indexOf('=');
            if (eq < 0) throw new Unconvertible("dictionary update sequence element has length 1; 2 is required");
            out.put(f.substring(0, eq), f.substring(eq + 1));
        }
        return out;
    }

    private static Object bool(Object v) throws Unconvertible {
        if (v instanceof Boolean b) return b;
        if (v instanceof Number n) {
            if (n.doubleValue() == 1) return true;
            if (n.doubleValue() == 0) return false;
        } else if (v instanceof String s) {
            String n = s.strip().toLowerCase(Locale.ROOT);
            if (TRUE.contains(n)) return true;
            if (FALSE.contains(n)) return false;
        } else {
            throw new Unconvertible(pyType(v) + " cannot be converted to a bool");
        }
        throw new Unconvertible("The value '" + pyStr(v) + "' is not a valid boolean.  Valid booleans include: "
                + VALID_BOOLEANS);
    }

    private static Object integer(Object v) throws Unconvertible {
        if (v instanceof Integer || v instanceof Long) return v;
        if (v instanceof Boolean b) return b ? 1 : 0; // a bool is an int in Python
        if (v instanceof String s && PY_INT.matcher(s).matches()) {
            try {
                return Integer.parseInt(s.strip().replace("_", ""));
            } catch (NumberFormatException e) {
                return Long.parseLong(s.strip().replace("_", ""));
            }
        }
        throw new Unconvertible(pyType(v) + " cannot be converted to an int");
    }

    private static Object decimal(Object v) throws Unconvertible {
        if (v instanceof Double d) return d;
        if (v instanceof Number n) return n.doubleValue();
        if (v instanceof Boolean b) return b ? 1.0 : 0.0;
        if (v instanceof String s) {
            String t = s.strip().replace("_", "").toLowerCase(Locale.ROOT);
            if (t.matches("[-+]?nan")) return Double.NaN;
            if (t.matches("[-+]?inf(inity)?")) {
                return t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
            if (t.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)(e[-+]?\\d+)?")) return Double.parseDouble(t);
        }
        throw new Unconvertible(pyType(v) + " cannot be converted to a float");
    }

    /** Ansible's human_to_bytes: "10M" is 10485760; bits want a lowercase 'b' unit ("1Mb"), bytes an uppercase. */
    private static Object humanSize(Object v, boolean bits) throws Unconvertible {
        String what = bits ? "a Bit value" : "a Byte value";
        Matcher m = HUMAN_SIZE.matcher(pyStr(v));
        if (!m.find() || m.group(1).isEmpty() || m.group(1).equals(".")) {
            throw new Unconvertible(pyType(v) + " cannot be converted to " + what);
        }
        BigDecimal number = new BigDecimal(m.group(1).endsWith(".") ? m.group(1) + "0" : m.group(1));
        String unit = m.group(2);
        if (unit == null) return number.setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact();
        int power = UNITS.indexOf(Character.toUpperCase(unit.charAt(0)));
        boolean ok = power >= 0;
        if (ok && unit.length() > 1) {
            String rest = unit.substring(1);
            ok = bits ? rest.equals("b") || rest.equals("bit") || rest.equals("bits")
                    : rest.equals("B") || rest.equals("byte") || rest.equals("bytes");
        } else if (ok && power == 0) {
            ok = bits ? unit.equals("b") : unit.equals("B") || unit.equals("b");
        }
        if (!ok) throw new Unconvertible(pyType(v) + " cannot be converted to " + what);
        return number.multiply(BigDecimal.valueOf(2).pow(10 * power)).setScale(0, java.math.RoundingMode.HALF_EVEN)
                .toBigInteger();
    }

    private static Object json(Object v) throws Unconvertible {
        if (v instanceof String s) return s.strip();
        if (v instanceof Map<?, ?> || v instanceof List<?>) return Json.encode(v);
        throw new Unconvertible(pyType(v) + " cannot be converted to a json string");
    }

    /** Python's {@code type(v)} as printed: {@code <class 'str'>}. */
    static String pyType(Object v) {
        String name = switch (v) {
            case null -> "NoneType";
            case String s -> "str";
            case Boolean b -> "bool";
            case Integer i -> "int";
            case Long l -> "int";
            case java.math.BigInteger b -> "int";
            case Number n -> "float";
            case List<?> l -> "list";
            case Map<?, ?> m -> "dict";
            default -> v.getClass().getSimpleName();
        };
        return "<class '" + name + "'>";
    }

    /** Python's {@code str(v)}: True/False, None, lists and dicts in Python's repr. */
    static String pyStr(Object v) {
        return v instanceof String s ? s : pyRepr(v);
    }

    private static String pyRepr(Object v) {
        return switch (v) {
            case null -> "None";
            case Boolean b -> b ? "True" : "False";
            case String s -> "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
            case Double d -> d.isInfinite() ? (d > 0 ? "inf" : "-inf") : d.isNaN() ? "nan"
                    : d == Math.rint(d) && Math.abs(d) < 1e16 ? d.longValue() + ".0" : String.valueOf(d);
            case List<?> l -> {
                List<String> items = new ArrayList<>();
                for (Object o : l) items.add(pyRepr(o));
                yield "[" + String.join(", ", items) + "]";
            }
            case Map<?, ?> m -> {
                List<String> items = new ArrayList<>();
                m.forEach((k, val) -> items.add(pyRepr(k) + ": " + pyRepr(val)));
                yield "{" + String.join(", ", items) + "}";
            }
            case JsonObject j -> pyRepr(j.getMap());
            case JsonArray a -> pyRepr(a.getList());
            default -> String.valueOf(v);
        };
    }

    /** Python's {@code ==} between a value and a choice: 1 == 1.0, but "1" != 1. */
    static boolean pyEquals(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) return x.doubleValue() == y.doubleValue();
        if (a instanceof Boolean x && b instanceof Number y) return (x ? 1 : 0) == y.doubleValue();
        if (a instanceof Number x && b instanceof Boolean y) return x.doubleValue() == (y ? 1 : 0);
        return a == null ? b == null : a.equals(b);
    }
}
