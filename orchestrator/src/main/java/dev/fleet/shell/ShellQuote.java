package dev.fleet.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * POSIX shell word splitting and quoting: the one quoting function of fleet, used by the transport (the persistent
 * remote shell), the engine (sudo), the modules and the CLI. A leaf package, so every layer may use it.
 */
public final class ShellQuote {
    private ShellQuote() {}

    /** A command line that cannot be split into words: an opening quote without its closing one. */
    public static final class UnbalancedQuote extends Exception {
        UnbalancedQuote(String message) {
            super(message);
        }
    }

    /** Quotes one word so that any POSIX shell reads it back as exactly that word. */
    public static String quote(String word) {
        if (!word.isEmpty() && word.matches("[A-Za-z0-9_@%+=:,./-]+")) return word;
        return "'" + word.replace("'", "'\\''") + "'";
    }

    public static String join(List<String> argv) {
        StringBuilder sb = new StringBuilder();
        for (String a : argv) {
            if (!sb.isEmpty()) sb.append(' ');
            sb.append(quote(a));
        }
        return sb.toString();
    }

    /**
     * Splits a command line into words as Python's {@code shlex.split} does (what Ansible's command module
     * uses): whitespace separates, single and double quotes group, backslash escapes.
     */
    public static List<String> split(String line) throws UnbalancedQuote {
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == '\'') {
                if (c == '\'') quote = 0; else cur.append(c);
            } else if (quote == '"') {
                if (c == '"') quote = 0;
                else if (c == '\\' && i + 1 < line.length() && "\"\\$`\n".indexOf(line.charAt(i + 1)) >= 0) {
                    cur.append(line.charAt(++i));
                } else cur.append(c);
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else {
                inWord = true;
                if (c == '\'' || c == '"') quote = c;
                else if (c == '\\' && i + 1 < line.length()) cur.append(line.charAt(++i));
                else cur.append(c);
            }
        }
        if (quote != 0) throw new UnbalancedQuote("unterminated " + (quote == '"' ? "double" : "single")
                + " quote in command line: " + line);
        if (inWord) words.add(cur.toString());
        return words;
    }
}
