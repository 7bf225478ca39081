package dev.fleet.modules;

import java.util.List;
import java.util.Map;

/**
 * The Tcl script fleet hands the host's {@code expect} tool for the {@code expect} module: spawn the command on a
 * pseudo-terminal, answer each prompt that matches a pattern (a list of answers in turn), and exit with the
 * command's status. The script travels on the tool's standard input, never on a command line, because the
 * answers are often passwords. What the module must tell apart from the command's own output it gets as marker
 * lines on standard error (the command's output, on the terminal, all arrives on standard output).
 */
final class ExpectScript {
    /** Standard error line: the per-prompt timeout passed. */
    static final String TIMED_OUT = "fleet-expect: timeout";
    /** Standard error line prefix: a pattern's list of answers ran out; the pattern's index and the output follow. */
    static final String NO_RESPONSE = "fleet-expect: no response ";
    /** Standard error line: the command is not an executable the host can find. */
    static final String NOT_FOUND = "fleet-expect: not found";
    /** The exit status that goes with every marker. */
    static final int MARKER_EXIT = 254;

    private ExpectScript() {}

    /**
     * @param argv      the command, split into words (no shell, as Ansible runs it)
     * @param responses pattern to its answers, in order; a single answer is given every time the pattern matches
     * @param repeat    per pattern: whether its one answer repeats (a plain string) or the answers run out (a list)
     * @param timeout   seconds to wait for each prompt, null for no limit
     * @param echo      whether the terminal echoes what is sent
     */
    static String build(List<String> argv, Map<String, List<String>> responses, Map<String, Boolean> repeat,
            Integer timeout, boolean echo) {
        StringBuilder s = new StringBuilder();
        s.append("log_user 1\n");
        s.append("set timeout ").append(timeout == null ? -1 : timeout).append('\n');
        if (!echo) s.append("set stty_init -echo\n");
        s.append("if {[auto_execok ").append(word(argv.get(0))).append("] eq {}} {puts stderr {")
                .append(NOT_FOUND).append("}; exit ").append(MARKER_EXIT).append("}\n");
        s.append("spawn -noecho");
        for (String a : argv) s.append(' ').append(word(a));
        s.append('\n');
        int i = 0;
        for (Map.Entry<String, List<String>> e : responses.entrySet()) {
            s.append("set answers").append(i).append(" [list");
            for (String answer : e.getValue()) s.append(' ').append(word(stripNewlines(answer) + "\n"));
            s.append("]\nset next").append(i).append(" 0\n");
            i++;
        }
        s.append("expect {\n");
        i = 0;
        for (Map.Entry<String, List<String>> e : responses.entrySet()) {
            s.append("  -re ").append(word(e.getKey())).append(" {\n");
            if (Boolean.TRUE.equals(repeat.get(e.getKey()))) {
                s.append("    send -- [lindex $answers").append(i).append(" 0]\n");
            } else {
                s.append("    if {$next").append(i).append(" >= [llength $answers").append(i).append("]} {\n")
                        .append("      puts stderr \"").append(NO_RESPONSE).append(i)
                        .append(" $expect_out(buffer)\"; exit ").append(MARKER_EXIT).append("\n    }\n")
                        .append("    send -- [lindex $answers").append(i).append(" $next").append(i).append("]\n")
                        .append("    incr next").append(i).append('\n');
            }
            s.append("    exp_continue\n  }\n");
            i++;
        }
        s.append("  timeout {puts stderr {").append(TIMED_OUT).append("}; exit ").append(MARKER_EXIT).append("}\n");
        s.append("  eof\n}\n");
        s.append("exit [lindex [wait] 3]\n");
        return s.toString();
    }

    /** Ansible sends each answer with its trailing newlines replaced by exactly one. */
    private static String stripNewlines(String answer) {
        int end = answer.length();
        while (end > 0 && answer.charAt(end - 1) == '\n') end--;
        return answer.substring(0, end);
    }

    /**
     * One Tcl word that reads back as exactly {@code text}: every character that is not a plain ASCII letter or
     * digit is backslash-escaped (control characters by name), so no substitution or bracket can happen.
     */
    static String word(String text) {
        if (text.isEmpty()) return "{}";
        StringBuilder w = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') w.append("\\n");
            else if (c == '\r') w.append("\\r");
            else if (c == '\t') w.append("\\t");
            else if (c < 0x20 || c == 0x7f) w.append(String.format("\\x%02x", (int) c));
            else if (c < 0x80 && !Character.isLetterOrDigit(c)) w.append('\\').append(c);
            else w.append(c);
        }
        return w.toString();
    }
}
