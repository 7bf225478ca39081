package dev.fleet.template;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.objects.SafeString;
import com.hubspot.jinjava.objects.collections.PyList;
import com.hubspot.jinjava.objects.collections.PyMap;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Ansible's filters and tests on top of jinjava's, and strictness about undefined values for all of them:
 * every filter and test refuses an undefined input or argument, except those made to take one
 * ({@code default}, {@code mandatory}, {@code defined}, {@code undefined}).
 */
final class AnsibleLibrary {
    private AnsibleLibrary() {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_PATTERNS = 2048;
    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

    /** A filter, test or method refused its input; the message says why, Ansible-style. */
    static final class FilterFailure extends RuntimeException {
        FilterFailure(String message) {
            super(message, null, false, false);
        }
    }

    interface Fn {
        Object apply(Object var, Object[] args, Map<String, Object> kwargs);
    }

    interface Test {
        boolean test(Object var, Object[] args);
    }

    /** {@code for} that refuses to loop over an undefined value (jinjava would loop once over it). */
    public static final class StrictForTag extends com.hubspot.jinjava.lib.tag.ForTag {
        @Override
        public String renderForCollection(com.hubspot.jinjava.tree.TagNode tagNode, JinjavaInterpreter interpreter,
                List<String> loopVars, Object collection) {
            if (collection instanceof Undefined u) throw u.error();
            return super.renderForCollection(tagNode, interpreter, loopVars, collection);
        }
    }

    static void install(Context global) {
        global.registerTag(new StrictForTag());
        // Strictness for what jinjava has, then Ansible's own (which replace jinjava's of the same name).
        for (Filter f : List.copyOf(global.getAllFilters())) global.registerFilter(new StrictFilter(f));
        for (ExpTest t : List.copyOf(global.getAllExpTests())) global.registerExpTest(new StrictTest(t));

        Fn dflt = (v, a, kw) -> {
            Object fallback = arg(a, kw, 0, "default_value", "");
            boolean onFalse = Py.truthy(arg(a, kw, 1, "boolean", false));
            if (v instanceof Undefined) return fallback;
            return onFalse && !Py.truthy(v) ? fallback : v;
        };
        lenient(global, "default", dflt);
        lenient(global, "d", dflt);
        lenient(global, "mandatory", (v, a, kw) -> {
            if (v instanceof Undefined u) {
                Object msg = arg(a, kw, 0, "msg", null);
                throw new FilterFailure(msg != null ? Py.str(msg) : "Mandatory variable '" + u.name() + "' not defined.");
            }
            return v;
        });
        filter(global, "int", (v, a, kw) -> toInt(v, arg(a, kw, 0, "default", 0), arg(a, kw, 1, "base", 10)));
        filter(global, "float", (v, a, kw) -> toFloat(v, arg(a, kw, 0, "default", 0.0)));
        filter(global, "bool", (v, a, kw) -> Py.ansibleBool(v));
        filter(global, "string", (v, a, kw) -> Py.str(v));
        filter(global, "type_debug", (v, a, kw) -> Py.typeName(v));
        filter(global, "join", (v, a, kw) -> join(v, Py.str(arg(a, kw, 0, "d", "")), arg(a, kw, 1, "attribute", null)));
        filter(global, "split", (v, a, kw) -> split(Py.str(v), arg(a, kw, 0, "sep", null),
                intArg(arg(a, kw, 1, "maxsplit", -1))));
        filter(global, "regex_search", AnsibleLibrary::regexSearch);
        filter(global, "regex_replace", AnsibleLibrary::regexReplace);
        filter(global, "regex_findall", AnsibleLibrary::regexFindall);
        filter(global, "regex_escape", (v, a, kw) -> Pattern.compile("([^A-Za-z0-9_])").matcher(Py.str(v))
                .replaceAll("\\\\$1"));
        filter(global, "to_json", (v, a, kw) -> Py.toJson(v, intArg(arg(a, kw, -1, "indent", 0)),
                Py.truthy(arg(a, kw, -1, "sort_keys", false)), true));
        filter(global, "to_nice_json", (v, a, kw) -> Py.toJson(v, intArg(arg(a, kw, -1, "indent", 4)),
                Py.truthy(arg(a, kw, -1, "sort_keys", true)), false));
        filter(global, "from_json", (v, a, kw) -> fromJson(Py.str(v)));
        filter(global, "to_yaml", (v, a, kw) -> toYaml(v, false, intArg(arg(a, kw, -1, "indent", 2))));
        filter(global, "to_nice_yaml", (v, a, kw) -> toYaml(v, true, intArg(arg(a, kw, -1, "indent", 4))));
        filter(global, "from_yaml", (v, a, kw) -> fromYaml(Py.str(v)));
        filter(global, "min", (v, a, kw) -> extreme(v, arg(a, kw, -1, "attribute", null), -1));
        filter(global, "max", (v, a, kw) -> extreme(v, arg(a, kw, -1, "attribute", null), 1));
        filter(global, "round", (v, a, kw) -> round(v, intArg(arg(a, kw, 0, "precision", 0)),
                Py.str(arg(a, kw, 1, "method", "common"))));
        filter(global, "abs", (v, a, kw) -> abs(v));
        filter(global, "basename", (v, a, kw) -> basename(Py.str(v)));
        filter(global, "dirname", (v, a, kw) -> dirname(Py.str(v)));
        filter(global, "quote", (v, a, kw) -> shellQuote(v == null ? "" : Py.str(v)));
        filter(global, "b64encode", (v, a, kw) -> Base64.getEncoder()
                .encodeToString(Py.str(v).getBytes(StandardCharsets.UTF_8)));
        filter(global, "b64decode", (v, a, kw) -> b64decode(Py.str(v)));
        filter(global, "ternary", (v, a, kw) -> {
            if (v == null && (a.length > 2 || kw.containsKey("none_val"))) return arg(a, kw, 2, "none_val", null);
            return Py.truthy(v) ? arg(a, kw, 0, "true_val", null) : arg(a, kw, 1, "false_val", null);
        });
        filter(global, "unique", (v, a, kw) -> new ArrayList<>(new LinkedHashSet<>(list(v, "unique"))));
        filter(global, "flatten", (v, a, kw) -> {
            List<Object> out = new ArrayList<>();
            flatten(list(v, "flatten"), intArg(arg(a, kw, 0, "levels", -1)), out);
            return out;
        });
        filter(global, "combine", AnsibleLibrary::combine);
        filter(global, "dict2items", (v, a, kw) -> {
            String k = Py.str(arg(a, kw, -1, "key_name", "key")), val = Py.str(arg(a, kw, -1, "value_name", "value"));
            List<Object> out = new ArrayList<>();
            for (var e : map(v, "dict2items").entrySet()) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put(k, e.getKey());
                item.put(val, e.getValue());
                out.add(item);
            }
            return out;
        });
        filter(global, "items2dict", (v, a, kw) -> {
            String k = Py.str(arg(a, kw, -1, "key_name", "key")), val = Py.str(arg(a, kw, -1, "value_name", "value"));
            Map<String, Object> out = new LinkedHashMap<>();
            for (Object item : list(v, "items2dict")) {
                Map<?, ?> m = map(item, "items2dict");
                out.put(Py.str(m.get(k)), m.get(val));
            }
            return out;
        });

        lenientTest(global, "defined", (v, a) -> !(v instanceof Undefined));
        lenientTest(global, "undefined", (v, a) -> v instanceof Undefined);
        test(global, "failed", (v, a) -> flag(v, "failed", "failed"));
        test(global, "succeeded", (v, a) -> !flag(v, "failed", "succeeded"));
        test(global, "success", (v, a) -> !flag(v, "failed", "success"));
        test(global, "successful", (v, a) -> !flag(v, "failed", "successful"));
        test(global, "changed", (v, a) -> changed(v));
        test(global, "change", (v, a) -> changed(v));
        test(global, "skipped", (v, a) -> flag(v, "skipped", "skipped"));
        test(global, "skip", (v, a) -> flag(v, "skipped", "skip"));
        test(global, "none", (v, a) -> v == null);
        test(global, "match", (v, a) -> regexTest(v, a, "match"));
        test(global, "search", (v, a) -> regexTest(v, a, "search"));
        test(global, "regex", (v, a) -> regexTest(v, a, a.length > 3 ? Py.str(a[3]) : "search"));
        test(global, "version", AnsibleLibrary::versionTest);
        test(global, "version_compare", AnsibleLibrary::versionTest);
        test(global, "contains", (v, a) -> a.length > 0 && contains(v, a[0]));
        test(global, "in", (v, a) -> a.length > 0 && contains(a[0], v));
    }

    // ---- registration and strictness ----------------------------------------------------------------------

    private static void filter(Context global, String name, Fn fn) {
        global.registerFilter(new StrictFilter(new FnFilter(name, fn)));
    }

    private static void lenient(Context global, String name, Fn fn) {
        global.registerFilter(new FnFilter(name, fn));
    }

    private static void test(Context global, String name, Test t) {
        global.registerExpTest(new StrictTest(new FnTest(name, t)));
    }

    private static void lenientTest(Context global, String name, Test t) {
        global.registerExpTest(new FnTest(name, t));
    }

    static void refuseUndefined(Object var, Object[] args, Map<String, Object> kwargs) {
        if (var instanceof Undefined u) throw u.error();
        if (args != null) for (Object o : args) if (o instanceof Undefined u) throw u.error();
        if (kwargs != null) for (Object o : kwargs.values()) if (o instanceof Undefined u) throw u.error();
    }

    /** A filter of ours: plain Java values in, whatever comes out. */
    public static final class FnFilter implements Filter {
        private final String name;
        private final Fn fn;

        FnFilter(String name, Fn fn) {
            this.name = name;
            this.fn = fn;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return filter(var, interpreter, (Object[]) args, Map.of());
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            try {
                return fn.apply(unwrap(var), args == null ? new Object[0] : args, kwargs == null ? Map.of() : kwargs);
            } catch (FilterFailure | Undefined.UndefinedVariableException | JinjaTemplater.TimeBudgetExceeded e) {
                throw e;
            } catch (RuntimeException e) {
                throw new FilterFailure("filter '" + name + "' failed: " + e.getMessage());
            }
        }
    }

    /** Any filter, refusing undefined input. */
    public static final class StrictFilter implements Filter {
        private final Filter delegate;

        StrictFilter(Filter delegate) {
            this.delegate = delegate;
        }

        @Override
        public String getName() {
            return delegate.getName();
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            refuseUndefined(var, args, null);
            return delegate.filter(var, interpreter, args);
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            refuseUndefined(var, args, kwargs);
            return delegate.filter(var, interpreter, args, kwargs);
        }
    }

    public static final class FnTest implements ExpTest {
        private final String name;
        private final Test test;

        FnTest(String name, Test test) {
            this.name = name;
            this.test = test;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
            if (args == null) args = new Object[0];
            // jinjava passes `x is t(a, b)` as one tuple argument (a PyList exactly, where a list literal is a
            // subclass of it): spread it, as Jinja2 would pass a and b.
            if (args.length == 1 && args[0] != null && args[0].getClass() == PyList.class) {
                args = ((PyList) args[0]).toList().toArray();
            }
            try {
                return test.test(unwrap(var), args);
            } catch (FilterFailure | Undefined.UndefinedVariableException | JinjaTemplater.TimeBudgetExceeded e) {
                throw e;
            } catch (RuntimeException e) {
                throw new FilterFailure("test '" + name + "' failed: " + e.getMessage());
            }
        }
    }

    /** Any test, refusing undefined input. */
    public static final class StrictTest implements ExpTest {
        private final ExpTest delegate;

        StrictTest(ExpTest delegate) {
            this.delegate = delegate;
        }

        @Override
        public String getName() {
            return delegate.getName();
        }

        @Override
        public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
            refuseUndefined(var, args, null);
            return delegate.evaluate(var, interpreter, args);
        }

        @Override
        public boolean evaluateNegated(Object var, JinjavaInterpreter interpreter, Object... args) {
            refuseUndefined(var, args, null);
            return delegate.evaluateNegated(var, interpreter, args);
        }
    }

    // ---- arguments ----------------------------------------------------------------------------------------

    /** Positional argument i (if i >= 0 and given), else keyword argument name, else the default. */
    private static Object arg(Object[] args, Map<String, Object> kwargs, int i, String name, Object dflt) {
        if (i >= 0 && i < args.length) return unwrap(args[i]);
        if (kwargs.containsKey(name)) return unwrap(kwargs.get(name));
        return dflt;
    }

    private static Object unwrap(Object v) {
        if (v instanceof PyList l) return l.toList();
        if (v instanceof PyMap m) return m.toMap();
        if (v instanceof SafeString s) return s.toString();
        return v;
    }

    private static int intArg(Object v) {
        if (v instanceof Number n) return n.intValue();
        if (v == null) return 0;
        try {
            return Integer.parseInt(Py.str(v).strip());
        } catch (NumberFormatException e) {
            throw new FilterFailure("expected a number, got '" + Py.str(v) + "'");
        }
    }

    private static List<?> list(Object v, String filter) {
        v = unwrap(v);
        if (v instanceof List<?> l) return l;
        if (v instanceof Collection<?> c) return new ArrayList<>(c);
        if (v instanceof Map<?, ?> m) return new ArrayList<>(m.keySet());
        if (v instanceof String s) {
            List<Object> chars = new ArrayList<>();
            s.codePoints().forEach(cp -> chars.add(new String(Character.toChars(cp))));
            return chars;
        }
        throw new FilterFailure("'" + filter + "' expects a list, got " + Py.typeName(v));
    }

    private static Map<?, ?> map(Object v, String what) {
        v = unwrap(v);
        if (v instanceof Map<?, ?> m) return m;
        throw new FilterFailure("'" + what + "' expects a dictionary, got " + Py.typeName(v));
    }

    // ---- conversions --------------------------------------------------------------------------------------

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

    private static Object abs(Object v) {
        if (v instanceof Integer i) return Math.abs((long) i) <= Integer.MAX_VALUE ? (Object) Math.abs(i) : -(long) i;
        if (v instanceof Long l) return Py.export(BigInteger.valueOf(l).abs());
        if (v instanceof BigInteger b) return b.abs();
        if (v instanceof BigDecimal b) return b.abs().doubleValue();
        if (v instanceof Number n) return Math.abs(n.doubleValue());
        if (v instanceof Boolean b) return b ? 1 : 0;
        throw new FilterFailure("bad operand type for abs(): '" + Py.typeName(v) + "'");
    }

    private static Object round(Object v, int precision, String method) {
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

    private static String join(Object v, String sep, Object attribute) {
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

    private static Object attribute(Object o, String path) {
        Object cur = unwrap(o);
        for (String part : path.split("\\.")) {
            if (cur instanceof Map<?, ?> m && m.containsKey(part)) cur = unwrap(m.get(part));
            else if (cur instanceof List<?> l && part.matches("\\d+") && Integer.parseInt(part) < l.size())
                cur = unwrap(l.get(Integer.parseInt(part)));
            else return new Undefined(path);
        }
        return cur;
    }

    private static void checkLength(long length) {
        JinjavaInterpreter interp = JinjavaInterpreter.getCurrent();
        long max = interp == null ? 0 : interp.getConfig().getMaxOutputSize();
        if (max > 0 && length > max) throw new FilterFailure("result longer than the limit of " + max + " characters");
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

    private static Object extreme(Object v, Object attribute, int sign) {
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

    private static void flatten(List<?> in, int levels, List<Object> out) {
        for (Object o : in) {
            Object x = unwrap(o);
            if (x instanceof List<?> l && levels != 0) flatten(l, levels - 1, out);
            else if (x != null) out.add(x);
        }
    }

    private static Object combine(Object v, Object[] args, Map<String, Object> kwargs) {
        boolean recursive = Py.truthy(kwargs.getOrDefault("recursive", false));
        String listMerge = Py.str(kwargs.getOrDefault("list_merge", "replace"));
        Map<String, Object> out = new LinkedHashMap<>();
        List<Object> sources = new ArrayList<>();
        sources.add(v);
        for (Object a : args) {
            Object x = unwrap(a);
            if (x instanceof List<?> l) sources.addAll(l);
            else sources.add(x);
        }
        for (Object s : sources) merge(out, map(s, "combine"), recursive, listMerge);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> into, Map<?, ?> from, boolean recursive, String listMerge) {
        for (var e : from.entrySet()) {
            String k = String.valueOf(e.getKey());
            Object nv = unwrap(e.getValue()), ov = unwrap(into.get(k));
            if (recursive && ov instanceof Map<?, ?> om && nv instanceof Map<?, ?> nm) {
                Map<String, Object> m = new LinkedHashMap<>();
                merge(m, om, true, listMerge);
                merge(m, nm, true, listMerge);
                into.put(k, m);
            } else if (ov instanceof List<?> ol && nv instanceof List<?> nl && !listMerge.equals("replace")) {
                List<Object> l = new ArrayList<>();
                switch (listMerge) {
                    case "keep" -> l.addAll(ol);
                    case "append" -> { l.addAll(ol); l.addAll(nl); }
                    case "prepend" -> { l.addAll(nl); l.addAll(ol); }
                    case "append_rp" -> { for (Object o : ol) if (!nl.contains(o)) l.add(o); l.addAll(nl); }
                    case "prepend_rp" -> { l.addAll(nl); for (Object o : ol) if (!nl.contains(o)) l.add(o); }
                    default -> throw new FilterFailure("list_merge must be replace, keep, append, prepend,"
                            + " append_rp or prepend_rp, not '" + listMerge + "'");
                }
                into.put(k, l);
            } else {
                into.put(k, nv);
            }
        }
    }

    // ---- paths, quoting, encodings ------------------------------------------------------------------------

    static String basename(String p) {
        return p.substring(p.lastIndexOf('/') + 1);
    }

    static String dirname(String p) {
        int i = p.lastIndexOf('/');
        if (i < 0) return "";
        String head = p.substring(0, i + 1);
        String stripped = head.replaceAll("/+$", "");
        return stripped.isEmpty() ? head : stripped; // as os.path.dirname: "/a" -> "/", "a/b" -> "a"
    }

    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    /** Python's shlex.quote. */
    static String shellQuote(String s) {
        if (s.isEmpty()) return "''";
        if (SHELL_SAFE.matcher(s).matches()) return s;
        return "'" + s.replace("'", "'\"'\"'") + "'";
    }

    private static String b64decode(String s) {
        try {
            return new String(Base64.getMimeDecoder().decode(s.strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new FilterFailure("b64decode: " + e.getMessage());
        }
    }

    private static Object fromJson(String s) {
        try {
            return JSON.readValue(s, Object.class);
        } catch (Exception e) {
            throw new FilterFailure("from_json: " + firstLine(e.getMessage()));
        }
    }

    private static Object fromYaml(String s) {
        try {
            LoaderOptions opts = new LoaderOptions();
            opts.setMaxAliasesForCollections(50);
            opts.setCodePointLimit(16 << 20);
            return new Yaml(new SafeConstructor(opts)).load(s);
        } catch (RuntimeException e) {
            throw new FilterFailure("from_yaml: " + firstLine(e.getMessage()));
        }
    }

    private static String toYaml(Object v, boolean nice, int indent) {
        DumperOptions opts = new DumperOptions();
        opts.setDefaultFlowStyle(nice ? DumperOptions.FlowStyle.BLOCK : DumperOptions.FlowStyle.AUTO);
        opts.setIndent(Math.max(2, Math.min(indent, 9)));
        opts.setAllowUnicode(true);
        opts.setWidth(nice ? 80 : Integer.MAX_VALUE);
        Object plain = Py.export(v);
        return new Yaml(new Representer(opts), opts).dump(plain);
    }

    private static String firstLine(String s) {
        if (s == null) return "invalid input";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    // ---- regular expressions, as Python's re ----------------------------------------------------------------

    static Pattern pattern(String regex, boolean ignorecase, boolean multiline) {
        String key = (ignorecase ? "i" : "-") + (multiline ? "m" : "-") + regex;
        Pattern p = PATTERNS.get(key);
        if (p != null) return p;
        String java = regex.replace("(?P<", "(?<").replaceAll("\\(\\?P=(\\w+)\\)", "\\\\k<$1>")
                .replace("\\Z", "\\z");
        int flags = (ignorecase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0) | (multiline ? Pattern.MULTILINE : 0);
        try {
            p = Pattern.compile(java, flags);
        } catch (PatternSyntaxException e) {
            throw new FilterFailure("invalid regular expression '" + regex + "': " + e.getDescription());
        }
        if (PATTERNS.size() >= MAX_PATTERNS) PATTERNS.clear();
        PATTERNS.put(key, p);
        return p;
    }

    /** The text to match, checking the call's time budget as the regex engine reads it (no runaway backtracking). */
    static CharSequence guarded(String s) {
        JinjaTemplater.FleetInterpreter interp = JinjaTemplater.FleetInterpreter.current();
        return interp == null ? s : new GuardedText(s, interp);
    }

    private record GuardedText(String text, JinjaTemplater.FleetInterpreter interp, int[] reads) implements CharSequence {
        GuardedText(String text, JinjaTemplater.FleetInterpreter interp) {
            this(text, interp, new int[1]);
        }

        @Override
        public char charAt(int index) {
            if ((++reads[0] & 0xfff) == 0) interp.checkBudget();
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private static boolean flagArg(Object[] a, Map<String, Object> kw, String name) {
        return Py.truthy(kw.getOrDefault(name, false));
    }

    private static Object regexSearch(Object v, Object[] a, Map<String, Object> kw) {
        if (a.length < 1) throw new FilterFailure("regex_search needs a pattern");
        String s = Py.str(v);
        Pattern p = pattern(Py.str(a[0]), flagArg(a, kw, "ignorecase"), flagArg(a, kw, "multiline"));
        Matcher m = p.matcher(guarded(s));
        if (!m.find()) return null;
        if (a.length == 1) return m.group();
        List<Object> groups = new ArrayList<>();
        for (int i = 1; i < a.length; i++) {
            String g = Py.str(a[i]);
            Matcher ref = Pattern.compile("\\\\(\\d+)|\\\\g<(\\w+)>").matcher(g);
            if (!ref.matches()) throw new FilterFailure("unknown group reference '" + g + "' in regex_search");
            groups.add(ref.group(1) != null ? m.group(Integer.parseInt(ref.group(1)))
                    : ref.group(2).matches("\\d+") ? m.group(Integer.parseInt(ref.group(2))) : m.group(ref.group(2)));
        }
        return groups;
    }

    private static Object regexReplace(Object v, Object[] a, Map<String, Object> kw) {
        String s = Py.str(v);
        String regex = Py.str(arg(a, kw, 0, "pattern", ""));
        String repl = Py.str(arg(a, kw, 1, "replacement", ""));
        boolean ic = Py.truthy(arg(a, kw, 2, "ignorecase", false));
        boolean ml = Py.truthy(arg(a, kw, 3, "multiline", false));
        int count = intArg(arg(a, kw, -1, "count", 0));
        Matcher m = pattern(regex, ic, ml).matcher(guarded(s));
        List<Object> parts = pythonReplacement(repl);
        StringBuilder sb = new StringBuilder();
        int last = 0, n = 0;
        while ((count <= 0 || n < count) && m.find()) {
            sb.append(s, last, m.start());
            for (Object part : parts) {
                if (part instanceof String lit) {
                    sb.append(lit);
                } else {
                    String g;
                    try {
                        g = part instanceof Integer i ? m.group(i) : m.group(((Object[]) part)[0].toString());
                    } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
                        throw new FilterFailure("invalid group reference in replacement '" + repl + "'");
                    }
                    if (g != null) sb.append(g);
                }
            }
            last = m.end();
            checkLength(sb.length());
            n++;
        }
        sb.append(s, last, s.length());
        checkLength(sb.length());
        return sb.toString();
    }

    /** Python's re.sub replacement: literal strings, Integer group numbers, and Object[]{name} named groups. */
    static List<Object> pythonReplacement(String repl) {
        List<Object> parts = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        for (int i = 0; i < repl.length(); i++) {
            char c = repl.charAt(i);
            if (c != '\\' || i + 1 >= repl.length()) {
                lit.append(c);
                continue;
            }
            char d = repl.charAt(++i);
            Object ref = null;
            if (Character.isDigit(d)) {
                int j = i + 1;
                if (j < repl.length() && Character.isDigit(repl.charAt(j))) j++;
                ref = Integer.parseInt(repl.substring(i, j));
                i = j - 1;
            } else if (d == 'g' && i + 1 < repl.length() && repl.charAt(i + 1) == '<') {
                int end = repl.indexOf('>', i);
                if (end < 0) throw new FilterFailure("missing '>' in group reference in '" + repl + "'");
                String name = repl.substring(i + 2, end);
                ref = name.matches("\\d+") ? (Object) Integer.parseInt(name) : new Object[] {name};
                i = end;
            } else {
                switch (d) {
                    case 'n' -> lit.append('\n');
                    case 't' -> lit.append('\t');
                    case 'r' -> lit.append('\r');
                    case '\\' -> lit.append('\\');
                    default -> lit.append('\\').append(d);
                }
            }
            if (ref != null) {
                if (!lit.isEmpty()) parts.add(lit.toString());
                lit.setLength(0);
                parts.add(ref);
            }
        }
        if (!lit.isEmpty()) parts.add(lit.toString());
        return parts;
    }

    private static Object regexFindall(Object v, Object[] a, Map<String, Object> kw) {
        if (a.length < 1) throw new FilterFailure("regex_findall needs a pattern");
        String s = Py.str(v);
        Matcher m = pattern(Py.str(a[0]), flagArg(a, kw, "ignorecase"), flagArg(a, kw, "multiline")).matcher(guarded(s));
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

    private static boolean regexTest(Object v, Object[] a, String how) {
        if (a.length < 1) throw new FilterFailure("the '" + how + "' test needs a pattern");
        boolean ic = a.length > 1 && Py.truthy(a[1]);
        boolean ml = a.length > 2 && Py.truthy(a[2]);
        Matcher m = pattern(Py.str(a[0]), ic, ml).matcher(guarded(Py.str(v)));
        return switch (how) {
            case "match" -> m.lookingAt();
            case "search" -> m.find();
            case "fullmatch" -> m.matches();
            default -> throw new FilterFailure("match_type must be match, search or fullmatch");
        };
    }

    // ---- tests --------------------------------------------------------------------------------------------

    private static boolean flag(Object v, String key, String test) {
        Map<?, ?> m = resultMap(v, test);
        Object f = m.get(key);
        if (f instanceof String s && Py.yamlBool(s) != null) return Py.yamlBool(s);
        return Py.truthy(f);
    }

    private static boolean changed(Object v) {
        Map<?, ?> m = resultMap(v, "changed");
        if (m.containsKey("changed")) return flag(m, "changed", "changed");
        if (unwrap(m.get("results")) instanceof List<?> results) { // a looped task's registered result
            for (Object r : results) if (unwrap(r) instanceof Map<?, ?> rm && flag(rm, "changed", "changed")) return true;
        }
        return false;
    }

    private static Map<?, ?> resultMap(Object v, String test) {
        v = unwrap(v);
        if (v instanceof Map<?, ?> m) return m;
        throw new FilterFailure("the '" + test + "' test expects a dictionary (a registered result), got "
                + Py.typeName(v));
    }

    private static boolean contains(Object container, Object item) {
        container = unwrap(container);
        item = unwrap(item);
        if (container instanceof String s) return s.contains(Py.str(item));
        if (container instanceof Map<?, ?> m) return m.containsKey(item) || m.containsKey(Py.str(item));
        if (container instanceof Collection<?> c) {
            for (Object o : c) if (looseEquals(unwrap(o), item)) return true;
            return false;
        }
        throw new FilterFailure("argument of type '" + Py.typeName(container) + "' is not iterable");
    }

    private static boolean looseEquals(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) return x.doubleValue() == y.doubleValue();
        return java.util.Objects.equals(a, b);
    }

    private static boolean versionTest(Object v, Object[] a) {
        if (a.length < 1) throw new FilterFailure("the 'version' test needs a version to compare with");
        String op = a.length > 1 && a[1] != null ? Py.str(a[1]) : "eq";
        int c = compareVersions(Py.str(v), Py.str(a[0]));
        return switch (op) {
            case "<", "lt" -> c < 0;
            case "<=", "le" -> c <= 0;
            case ">", "gt" -> c > 0;
            case ">=", "ge" -> c >= 0;
            case "==", "=", "eq" -> c == 0;
            case "!=", "<>", "ne" -> c != 0;
            default -> throw new FilterFailure("invalid version operator '" + op + "'");
        };
    }

    private static final Pattern VERSION_PART = Pattern.compile("\\d+|[a-zA-Z]+");

    /** LooseVersion-style: numbers compare as numbers, words as strings, a number beats a word. */
    static int compareVersions(String x, String y) {
        List<String> a = versionParts(x), b = versionParts(y);
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

    private static List<String> versionParts(String v) {
        List<String> parts = new ArrayList<>();
        Matcher m = VERSION_PART.matcher(v.strip());
        while (m.find()) parts.add(m.group());
        return parts;
    }

    // ---- Python string methods ----------------------------------------------------------------------------

    /** {@code s.name(params)} as Python's str would answer it; Java's own String methods stay out of reach. */
    static Object stringMethod(String s, String name, Object[] params) {
        Object[] p = params == null ? new Object[0] : params;
        for (Object o : p) if (o instanceof Undefined u) throw u.error();
        Object result = switch (name) {
            case "startswith" -> p.length >= 1 && anyOf(p[0], x -> s.startsWith(x));
            case "endswith" -> p.length >= 1 && anyOf(p[0], x -> s.endsWith(x));
            case "lower" -> s.toLowerCase(Locale.ROOT);
            case "upper" -> s.toUpperCase(Locale.ROOT);
            case "strip" -> p.length > 0 && p[0] != null ? stripChars(s, Py.str(p[0]), true, true) : s.strip();
            case "lstrip" -> p.length > 0 && p[0] != null ? stripChars(s, Py.str(p[0]), true, false) : s.stripLeading();
            case "rstrip" -> p.length > 0 && p[0] != null ? stripChars(s, Py.str(p[0]), false, true) : s.stripTrailing();
            case "split" -> split(s, p.length > 0 ? p[0] : null, p.length > 1 ? intArg(p[1]) : -1);
            case "splitlines" -> new ArrayList<Object>(s.lines().toList());
            case "replace" -> {
                if (p.length < 2) throw new FilterFailure("replace() takes at least 2 arguments");
                String from = Py.str(p[0]), to = Py.str(p[1]);
                long grows = (long) Math.max(0, to.length() - from.length()) * (from.isEmpty() ? s.length() + 1 : s.length() / from.length());
                checkLength(s.length() + grows);
                yield s.replace(from, to);
            }
            case "find" -> p.length >= 1 ? s.indexOf(Py.str(p[0])) : -1;
            case "count" -> p.length >= 1 ? countOf(s, Py.str(p[0])) : 0;
            case "join" -> p.length >= 1 ? join(p[0], s, null) : "";
            case "capitalize" -> s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
            case "title" -> titleCase(s);
            case "isdigit" -> !s.isEmpty() && s.chars().allMatch(Character::isDigit);
            case "isalpha" -> !s.isEmpty() && s.chars().allMatch(Character::isLetter);
            case "isalnum" -> !s.isEmpty() && s.chars().allMatch(Character::isLetterOrDigit);
            case "isspace" -> !s.isEmpty() && s.chars().allMatch(Character::isWhitespace);
            case "islower" -> s.chars().anyMatch(Character::isLetter) && s.equals(s.toLowerCase(Locale.ROOT));
            case "isupper" -> s.chars().anyMatch(Character::isLetter) && s.equals(s.toUpperCase(Locale.ROOT));
            case "zfill" -> {
                int w = p.length > 0 ? intArg(p[0]) : 0;
                checkLength(w);
                yield s.length() >= w ? s : "0".repeat(w - s.length()) + s;
            }
            case "format" -> throw new FilterFailure("str.format is not supported; use the 'format' filter");
            default -> throw new FilterFailure("'str object' has no attribute '" + name + "'");
        };
        return result;
    }

    private static boolean anyOf(Object arg, java.util.function.Predicate<String> p) {
        Object a = unwrap(arg);
        if (a instanceof List<?> l) {
            for (Object o : l) if (p.test(Py.str(o))) return true;
            return false;
        }
        return p.test(Py.str(a));
    }

    private static String stripChars(String s, String chars, boolean left, boolean right) {
        int b = 0, e = s.length();
        while (left && b < e && chars.indexOf(s.charAt(b)) >= 0) b++;
        while (right && e > b && chars.indexOf(s.charAt(e - 1)) >= 0) e--;
        return s.substring(b, e);
    }

    private static int countOf(String s, String sub) {
        if (sub.isEmpty()) return s.length() + 1;
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) n++;
        return n;
    }

    private static String titleCase(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean prevLetter = false;
        for (char c : s.toCharArray()) {
            sb.append(prevLetter ? Character.toLowerCase(c) : Character.toUpperCase(c));
            prevLetter = Character.isLetter(c);
        }
        return sb.toString();
    }
}
