package dev.fleet.modules;

import java.util.List;

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
}
