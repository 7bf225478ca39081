package dev.fleet.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.objects.SafeString;
import com.hubspot.jinjava.objects.collections.PyList;
import com.hubspot.jinjava.objects.collections.PyMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Reading filter arguments as Python would see them: positional or keyword, unwrapped, type-checked. */
final class Args {
    private Args() {}

    /** Positional argument i (if i >= 0 and given), else keyword argument name, else the default. */
    static Object arg(Object[] args, Map<String, Object> kwargs, int i, String name, Object dflt) {
        if (i >= 0 && i < args.length) return unwrap(args[i]);
        if (kwargs.containsKey(name)) return unwrap(kwargs.get(name));
        return dflt;
    }

    static Object unwrap(Object v) {
        if (v instanceof PyList l) return l.toList();
        if (v instanceof PyMap m) return m.toMap();
        if (v instanceof SafeString s) return s.toString();
        return v;
    }

    static int intArg(Object v) {
        if (v instanceof Number n) return n.intValue();
        if (v == null) return 0;
        try {
            return Integer.parseInt(Py.str(v).strip());
        } catch (NumberFormatException e) {
            throw new FilterFailure("expected a number, got '" + Py.str(v) + "'");
        }
    }

    static List<?> list(Object v, String filter) {
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

    static Map<?, ?> map(Object v, String what) {
        v = unwrap(v);
        if (v instanceof Map<?, ?> m) return m;
        throw new FilterFailure("'" + what + "' expects a dictionary, got " + Py.typeName(v));
    }

    static Object attribute(Object o, String path) {
        Object cur = unwrap(o);
        for (String part : path.split("\\.")) {
            if (cur instanceof Map<?, ?> m && m.containsKey(part)) cur = unwrap(m.get(part));
            else if (cur instanceof List<?> l && part.matches("\\d+") && Integer.parseInt(part) < l.size())
                cur = unwrap(l.get(Integer.parseInt(part)));
            else return new Undefined(path);
        }
        return cur;
    }

    static void checkLength(long length) {
        JinjavaInterpreter interp = JinjavaInterpreter.getCurrent();
        long max = interp == null ? 0 : interp.getConfig().getMaxOutputSize();
        if (max > 0 && length > max) throw new FilterFailure("result longer than the limit of " + max + " characters");
    }

    static String firstLine(String s) {
        if (s == null) return "invalid input";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
