package dev.fleet.template;

import java.util.Map;

/** Renders {@code {{ }}} expressions in strings, and recursively in lists and maps, against variables. */
public interface Templater {

    /** Renders one string. A string that is exactly one expression keeps the value's type (list, int, ...). */
    Object render(String text, Map<String, Object> vars) throws TemplateException;

    /**
     * Evaluates a bare condition as Ansible's {@code when}, {@code changed_when}, {@code failed_when},
     * {@code until} and {@code assert that} do ({@code result.rc != 0}, {@code x is defined}).
     */
    boolean evaluate(String condition, Map<String, Object> vars) throws TemplateException;

    /** Whether a string contains anything to render. */
    static boolean isTemplated(String s) {
        return s.contains("{{") || s.contains("{%");
    }

    /** Renders strings anywhere inside maps and lists; other values are returned as they are. */
    default Object renderDeep(Object value, Map<String, Object> vars) throws TemplateException {
        if (value instanceof String s) return isTemplated(s) ? render(s, vars) : s;
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            for (var e : m.entrySet()) out.put(String.valueOf(e.getKey()), renderDeep(e.getValue(), vars));
            return out;
        }
        if (value instanceof java.util.List<?> l) {
            java.util.List<Object> out = new java.util.ArrayList<>(l.size());
            for (Object o : l) out.add(renderDeep(o, vars));
            return out;
        }
        return value;
    }
}
