package dev.fleet.template;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The small subset of Jinja2 that simple playbooks use: {@code {{ name }}}, dotted and indexed lookups
 * ({@code {{ result.stdout }}}, {@code {{ items[0] }}}) and the {@code default} filter. Anything else is
 * rejected with a clear message rather than rendered wrongly.
 */
public final class SimpleTemplater implements Templater {
    private static final Pattern EXPR = Pattern.compile("\\{\\{\\s*(.*?)\\s*}}", Pattern.DOTALL);
    private static final Pattern PATH = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*|\\[\\d+]|\\['[^']*']|\\[\"[^\"]*\"])*");
    private static final Pattern DEFAULT = Pattern.compile("default\\((.*)\\)|d\\((.*)\\)");
    private static final Object UNDEFINED = new Object();

    @Override
    public Object render(String text, Map<String, Object> vars) throws TemplateException {
        if (text.contains("{%")) throw new TemplateException("'{%' statements are not supported in '" + text + "'");
        Matcher m = EXPR.matcher(text);
        if (m.find() && m.start() == 0 && m.end() == text.length()) return expression(m.group(1), vars);
        StringBuilder out = new StringBuilder();
        int last = 0;
        m.reset();
        while (m.find()) {
            out.append(text, last, m.start());
            Object v = expression(m.group(1), vars);
            out.append(v == null ? "" : stringify(v));
            last = m.end();
        }
        out.append(text.substring(last));
        return out.toString();
    }

    /** Only a bare variable or literal, judged by truthiness; anything richer needs the Jinja templater. */
    @Override
    public boolean evaluate(String condition, Map<String, Object> vars) throws TemplateException {
        Object v = expression(condition.strip(), vars);
        if (v instanceof Boolean b) return b;
        if (v instanceof Number n) return n.doubleValue() != 0;
        if (v instanceof String s) return !s.isEmpty() && !s.equalsIgnoreCase("false");
        if (v instanceof java.util.Collection<?> c) return !c.isEmpty();
        if (v instanceof Map<?, ?> m) return !m.isEmpty();
        return v != null;
    }

    private Object expression(String expr, Map<String, Object> vars) throws TemplateException {
        String[] parts = expr.split("\\|");
        String head = parts[0].strip();
        Object value = literal(head);
        if (value == UNDEFINED) {
            if (!PATH.matcher(head).matches()) {
                throw new TemplateException("unsupported expression '{{ " + expr + " }}'");
            }
            value = lookup(head, vars);
        }
        for (int i = 1; i < parts.length; i++) {
            String filter = parts[i].strip();
            Matcher d = DEFAULT.matcher(filter);
            if (d.matches()) {
                if (value == UNDEFINED) {
                    String arg = (d.group(1) != null ? d.group(1) : d.group(2)).strip();
                    value = literal(arg);
                    if (value == UNDEFINED) value = lookup(arg, vars);
                }
            } else {
                throw new TemplateException("unsupported filter '" + filter + "' in '{{ " + expr + " }}'");
            }
        }
        if (value == UNDEFINED) throw new TemplateException("'" + head + "' is undefined");
        return value;
    }

    private static Object literal(String s) {
        if (s.length() >= 2 && ((s.startsWith("'") && s.endsWith("'")) || (s.startsWith("\"") && s.endsWith("\"")))) {
            return s.substring(1, s.length() - 1);
        }
        if (s.matches("-?\\d+")) {
            try {
                return Integer.parseInt(s);
            } catch (NumberFormatException e) {
                return Long.parseLong(s);
            }
        }
        if (s.equals("true") || s.equals("True")) return Boolean.TRUE;
        if (s.equals("false") || s.equals("False")) return Boolean.FALSE;
        return UNDEFINED;
    }

    private static Object lookup(String path, Map<String, Object> vars) {
        Matcher seg = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)|\\[(\\d+)]|\\['([^']*)']|\\[\"([^\"]*)\"]").matcher(path);
        Object cur = vars;
        while (seg.find()) {
            String key = seg.group(1) != null ? seg.group(1) : seg.group(3) != null ? seg.group(3) : seg.group(4);
            if (key != null) {
                if (!(cur instanceof Map<?, ?> map) || !map.containsKey(key)) return UNDEFINED;
                cur = map.get(key);
            } else {
                int idx = Integer.parseInt(seg.group(2));
                if (!(cur instanceof List<?> list) || idx >= list.size()) return UNDEFINED;
                cur = list.get(idx);
            }
        }
        return cur;
    }

    private static String stringify(Object v) {
        if (v instanceof Boolean b) return b ? "True" : "False"; // as Jinja2 prints Python booleans
        return String.valueOf(v);
    }
}
