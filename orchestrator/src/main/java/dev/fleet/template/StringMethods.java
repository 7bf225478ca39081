package dev.fleet.template;

import static dev.fleet.template.Args.checkLength;
import static dev.fleet.template.Args.intArg;
import static dev.fleet.template.Args.unwrap;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Python's {@code str} methods, for {@code s.startswith(x)} and the like in templates. */
final class StringMethods {
    private StringMethods() {}

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
            case "rstrip" -> p.length > 0 && p[0] != null
                    ? stripChars(s, Py.str(p[0]), false, true) : s.stripTrailing();
            case "split" -> StringFilters.split(s, p.length > 0 ? p[0] : null, p.length > 1 ? intArg(p[1]) : -1);
            case "splitlines" -> new ArrayList<Object>(s.lines().toList());
            case "replace" -> {
                if (p.length < 2) throw new FilterFailure("replace() takes at least 2 arguments");
                String from = Py.str(p[0]), to = Py.str(p[1]);
                long grows = (long) Math.max(0, to.length() - from.length())
                        * (from.isEmpty() ? s.length() + 1 : s.length() / from.length());
                checkLength(s.length() + grows);
                yield s.replace(from, to);
            }
            case "find" -> p.length >= 1 ? s.indexOf(Py.str(p[0])) : -1;
            case "count" -> p.length >= 1 ? countOf(s, Py.str(p[0])) : 0;
            case "join" -> p.length >= 1 ? StringFilters.join(p[0], s, null) : "";
            case "capitalize" -> s.isEmpty() ? s
                    : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
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

    static boolean anyOf(Object arg, java.util.function.Predicate<String> p) {
        Object a = unwrap(arg);
        if (a instanceof List<?> l) {
            for (Object o : l) if (p.test(Py.str(o))) return true;
            return false;
        }
        return p.test(Py.str(a));
    }

    static String stripChars(String s, String chars, boolean left, boolean right) {
        int b = 0, e = s.length();
        while (left && b < e && chars.indexOf(s.charAt(b)) >= 0) b++;
        while (right && e > b && chars.indexOf(s.charAt(e - 1)) >= 0) e--;
        return s.substring(b, e);
    }

    static int countOf(String s, String sub) {
        if (sub.isEmpty()) return s.length() + 1;
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) n++;
        return n;
    }

    static String titleCase(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean prevLetter = false;
        for (char c : s.toCharArray()) {
            sb.append(prevLetter ? Character.toLowerCase(c) : Character.toUpperCase(c));
            prevLetter = Character.isLetter(c);
        }
        return sb.toString();
    }
}
