package dev.fleet.modules;

import dev.fleet.transport.CommandResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

    /**
     * What a result says about output the transport cut short: {@code stdout_truncated}/{@code stderr_truncated}
     * true and a warning with the byte counts, so a later task does not take the tail it kept for the whole.
     * Empty when both streams were kept whole.
     */
    static Map<String, Object> truncation(CommandResult r) {
        if (r.stdoutDropped() == 0 && r.stderrDropped() == 0) return Map.of();
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        note(out, warnings, "stdout", r.stdoutDropped());
        note(out, warnings, "stderr", r.stderrDropped());
        out.put("warnings", warnings);
        return out;
    }

    private static void note(Map<String, Object> out, List<String> warnings, String stream, long dropped) {
        if (dropped == 0) return;
        out.put(stream + "_truncated", true);
        warnings.add("the command wrote more to " + stream + " than fleet keeps: its first " + dropped
                + " bytes were read and dropped, " + stream + " holds only the end of it");
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
