package dev.fleet.modules;

import java.util.List;
import java.util.Map;

/** Trimming command output for results and messages; shared by the modules that run commands. */
final class OutputText {
    private OutputText() {}

    /** The last {@code n} non-blank lines, joined by newlines, at most 2000 characters: enough to say why. */
    static String tail(String text, int n) {
        List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        String s = String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
    }

    /** Output without its final newline, as Ansible reports stdout and stderr. */
    static String stripTrailingNewline(String s) {
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    /** A value as people read it: strings as they are, Python-style booleans and None, JSON-ish otherwise. */
    static String text(Object value) {
        if (value == null) return "None";
        if (value instanceof String s) return s;
        if (value instanceof Boolean b) return b ? "True" : "False";
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            try {
                return io.vertx.core.json.Json.encode(value);
            } catch (RuntimeException e) {
                return String.valueOf(value);
            }
        }
        return String.valueOf(value);
    }
}
