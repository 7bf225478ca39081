package dev.fleet.template;

import static dev.fleet.template.Args.arg;
import static dev.fleet.template.Args.attribute;
import static dev.fleet.template.Args.intArg;
import static dev.fleet.template.Args.list;
import static dev.fleet.template.Args.unwrap;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Conversions and arithmetic: {@code int}, {@code float}, {@code abs}, {@code round}, {@code min}/{@code max}. */
final class TypeFilters {
    private TypeFilters() {}

    static Object toInt(Object v, Object dflt, Object baseArg) {
        int base = intArg(baseArg);
        if (v instanceof Boolean b) return b ? 1 : 0;
        if (v instanceof Integer || v instanceof Long) return Py.export(v);
        if (v instanceof BigInteger b) return Py.export(b);
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) return dflt;
            return Py.export(new BigDecimal(d).toBigInteger());
        }
        if (v == null) return dflt;
        String s = Py.str(v).strip().replace("_", "");
        try {
            if (base == 16 && (s.startsWith("0x") || s.startsWith("0X"))) s = s.substring(2);
            else if (base == 8 && (s.startsWith("0o") || s.startsWith("0O"))) s = s.substring(2);
            else if (base == 2 && (s.startsWith("0b") || s.startsWith("0B"))) s = s.substring(2);
            return Py.export(new BigInteger(s, base));
        } catch (NumberFormatException e) {
            try {
                return Py.export(new BigDecimal(s).toBigInteger()); // Jinja2 falls back to int(float(s))
            } catch (NumberFormatException e2) {
                return dflt;
            }
        }
    }

    static Object toFloat(Object v, Object dflt) {
        if (v instanceof Boolean b) return b ? 1.0 : 0.0;
        if (v instanceof Number n) return n.doubleValue();
        if (v == null) return dflt;
        String s = Py.str(v).strip().toLowerCase(Locale.ROOT);
        try {
            return switch (s) {
                case "inf", "+inf", "infinity" -> Double.POSITIVE_INFINITY;
                case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
                case "nan" -> Double.NaN;
                default -> s.matches("[-+]?(\\d[\\d_]*)?\\.?\\d*([eE][-+]?\\d+)?") && s.matches(".*\\d.*")
                        ? (Object) Double.parseDouble(s.replace("_", "")) : dflt;
            };
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    static Object abs(Object v) {
        if (v instanceof Integer i) return Math.abs((long) i) <= Integer.MAX_VALUE ? (Object) Math.abs(i) : -(long) i;
        if (v instanceof Long l) return Py.export(BigInteger.valueOf(l).abs());
        if (v instanceof BigInteger b) return b.abs();
        if (v instanceof BigDecimal b) return b.abs().doubleValue();
        if (v instanceof Number n) return Math.abs(n.doubleValue());
        if (v instanceof Boolean b) return b ? 1 : 0;
        throw new FilterFailure("bad operand type for abs(): '" + Py.typeName(v) + "'");
    }

    static Object round(Object v, int precision, String method) {
        if (!(v instanceof Number n)) throw new FilterFailure("'round' expects a number, got " + Py.typeName(v));
        double d = n.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) return d;
        RoundingMode mode = switch (method) {
            case "common" -> RoundingMode.HALF_UP;
            case "ceil" -> RoundingMode.CEILING;
            case "floor" -> RoundingMode.FLOOR;
            default -> throw new FilterFailure("method must be common, ceil or floor, not '" + method + "'");
        };
        return new BigDecimal(Double.toString(d)).setScale(precision, mode).doubleValue();
    }

    static Object extreme(Object v, Object attribute, int sign) {
        List<?> items = list(v, sign < 0 ? "min" : "max");
        if (items.isEmpty()) throw new FilterFailure((sign < 0 ? "min" : "max") + "() arg is an empty sequence");
        Object best = null, bestKey = null;
        for (Object o : items) {
            Object key = attribute != null ? attribute(o, Py.str(attribute)) : unwrap(o);
            if (key instanceof Undefined u) throw u.error();
            if (best == null || compare(key, bestKey) * sign > 0) {
                best = o;
                bestKey = key;
            }
        }
        return best;
    }

    static int compare(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            if ((x instanceof Integer || x instanceof Long) && (y instanceof Integer || y instanceof Long))
                return Long.compare(x.longValue(), y.longValue());
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        if (a instanceof String x && b instanceof String y) return x.compareTo(y);
        if (a instanceof Boolean x && b instanceof Boolean y) return x.compareTo(y);
        throw new FilterFailure("'<' not supported between instances of '" + Py.typeName(a) + "' and '"
                + Py.typeName(b) + "'");
    }

    /** {@code default(value, boolean=False)}: the fallback for an undefined value (or a false one, if asked). */
    static Object dflt(Object v, Object[] a, Map<String, Object> kw) {
        Object fallback = arg(a, kw, 0, "default_value", "");
        boolean onFalse = Py.truthy(arg(a, kw, 1, "boolean", false));
        if (v instanceof Undefined) return fallback;
        return onFalse && !Py.truthy(v) ? fallback : v;
    }

    /** {@code mandatory(msg=None)}: fails on an undefined value, naming it. */
    static Object mandatory(Object v, Object[] a, Map<String, Object> kw) {
        if (v instanceof Undefined u) {
            Object msg = arg(a, kw, 0, "msg", null);
            throw new FilterFailure(msg != null ? Py.str(msg) : "Mandatory variable '" + u.name() + "' not defined.");
        }
        return v;
    }

    /** {@code ternary(true_val, false_val, none_val=None)}: none_val only counts when given and not None. */
    static Object ternary(Object v, Object[] a, Map<String, Object> kw) {
        Object noneVal = arg(a, kw, 2, "none_val", null);
        if (v == null && noneVal != null) return noneVal;
        return Py.truthy(v) ? arg(a, kw, 0, "true_val", null) : arg(a, kw, 1, "false_val", null);
    }

    /** Ansible 2.14's {@code bool}: None stays None; 'yes', 'on', '1', 'true' (any case) and 1 are true. */
    static Object bool(Object v, Object[] a, Map<String, Object> kw) {
        if (v == null || v instanceof Boolean) return v;
        if (v instanceof Number n) return n.doubleValue() == 1;
        String s = Py.str(v).toLowerCase(Locale.ROOT);
        return s.equals("yes") || s.equals("on") || s.equals("1") || s.equals("true");
    }

    /** Jinja2's {@code sum(attribute=None, start=0)}: integers stay integers (jinjava's always gave a float). */
    static Object sum(Object v, Object[] a, Map<String, Object> kw) {
        Object attribute = arg(a, kw, 0, "attribute", null);
        Object start = arg(a, kw, 1, "start", 0);
        BigDecimal total = BigDecimal.ZERO;
        boolean integral = true;
        List<Object> terms = new java.util.ArrayList<>();
        terms.add(start);
        for (Object o : list(v, "sum")) terms.add(attribute != null ? Args.attribute(o, Py.str(attribute)) : unwrap(o));
        if (start instanceof List<?>) { // sum(start=[]) concatenates lists, as Python's + does
            List<Object> out = new java.util.ArrayList<>();
            for (Object t : terms) out.addAll(list(t, "sum"));
            return out;
        }
        for (Object t : terms) {
            if (t instanceof Undefined u) throw u.error();
            if (t instanceof Boolean b) t = b ? 1 : 0;
            if (!(t instanceof Number n)) {
                throw new FilterFailure("unsupported operand type(s) for +: 'int' and '" + Py.typeName(t) + "'");
            }
            integral &= t instanceof Integer || t instanceof Long || t instanceof BigInteger;
            total = total.add(t instanceof Double || t instanceof Float ? BigDecimal.valueOf(n.doubleValue())
                    : new BigDecimal(n.toString()));
        }
        return integral ? Py.export(total.toBigInteger()) : total.doubleValue();
    }
}
