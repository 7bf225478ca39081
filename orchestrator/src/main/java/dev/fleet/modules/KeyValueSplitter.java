package dev.fleet.modules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ansible's {@code key=value} syntax, as its {@code split_args} and {@code parse_kv} read it: free-form module
 * arguments ({@code wait_for: port={{ p }} timeout=5}, {@code shell: creates=/x echo hi}) and the CLI's
 * {@code -e k=v}. One place, so the playbook and the command line agree.
 *
 * <p>Words are split on spaces, but a quoted string and a {@code {{ ... }}}, {@code {% ... %}} or
 * {@code {# ... #}} block stay one word, spaces and all; newlines and runs of spaces inside free-form text are kept.
 * In a {@code key=value} word the value may be empty ({@code msg=}), loses one pair of surrounding quotes, and has
 * its backslash escapes decoded ({@code \n}, {@code \"}, {@code \x41}, ...); {@code \=} is an equals sign that does
 * not split.
 */
public final class KeyValueSplitter {
    private KeyValueSplitter() {}

    /** Text that cannot be split: a quote or a template block opened and not closed. */
    public static final class Unbalanced extends Exception {
        Unbalanced(String text) {
            super("unbalanced quotes or template block ('{{' without '}}', '{%' without '%}') in '" + text
                    + "'; close it, or quote the whole value");
        }
    }

    /**
     * The result of {@link #parse}.
     *
     * @param options   the {@code key=value} pairs, values unquoted and unescaped, in order
     * @param rawParams the remaining free-form text with its original spacing and newlines, or null if none
     */
    public record Parsed(Map<String, String> options, String rawParams) {}

    /**
     * Splits {@code text} and separates {@code key=value} words from free-form text.
     *
     * @param onlyKeys if not null, only words whose key is in this set become options and every other word stays
     *                 free-form text, as for {@code command}/{@code shell} ({@code echo a=b chdir=/tmp})
     */
    public static Parsed parse(String text, Set<String> onlyKeys) throws Unbalanced {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> raw = new ArrayList<>();
        for (String word : split(text)) {
            String decoded = decodeEscapes(word);
            int eq = unescapedEquals(decoded);
            if (eq < 0) {
                raw.add(decoded.contains("=") ? decoded.replace("\\=", "=") : word);
                continue;
            }
            String key = decoded.substring(0, eq);
            if (onlyKeys != null && !onlyKeys.contains(key)) {
                raw.add(word);
            } else {
                options.put(key.strip(), unquote(decoded.substring(eq + 1).strip()));
            }
        }
        return new Parsed(options, raw.isEmpty() ? null : join(raw));
    }

    /** Ansible's {@code split_args}: words, each keeping its quotes, template blocks whole. */
    public static List<String> split(String text) throws Unbalanced {
        List<String> params = new ArrayList<>();
        char quote = 0;
        int print = 0;
        int block = 0;
        int comment = 0;
        String[] lines = text.split("\n", -1);
        for (int li = 0; li < lines.length; li++) {
            String[] tokens = lines[li].split(" ", -1);
            boolean continuation = false;
            for (int ti = 0; ti < tokens.length; ti++) {
                String token = tokens[ti];
                if (token.isEmpty() && ti != 0) {
                    // a run of spaces: kept on the previous word so free-form text can be rebuilt exactly
                    if (!params.isEmpty()) appendLast(params, " ");
                    continue;
                }
                boolean inBlock = print > 0 || block > 0 || comment > 0;
                if (token.equals("\\") && quote == 0) {
                    continuation = true;
                    continue;
                }
                boolean wasQuoted = quote != 0;
                quote = quoteState(token, quote);
                boolean quoted = quote != 0;
                boolean appended = false;
                if (quoted && !wasQuoted && !inBlock) {
                    params.add(token);
                    appended = true;
                } else if (inBlock || quoted || wasQuoted) {
                    if (params.isEmpty()) params.add("");
                    if (ti == 0 && wasQuoted) appendLast(params, token);
                    else if (tokens.length > 1) appendLast(params, (ti > 0 ? " " : "") + token);
                    else appendLast(params, "\n" + token);
                    appended = true;
                }
                int p = depth(token, print, "{{", "}}");
                if (p != print && !appended) {
                    params.add(token);
                    appended = true;
                }
                print = p;
                int b = depth(token, block, "{%", "%}");
                if (b != block && !appended) {
                    params.add(token);
                    appended = true;
                }
                block = b;
                int c = depth(token, comment, "{#", "#}");
                if (c != comment && !appended) {
                    params.add(token);
                    appended = true;
                }
                comment = c;
                if (print == 0 && block == 0 && comment == 0 && quote == 0 && !appended && !token.isEmpty()) {
                    params.add(token);
                }
            }
            if (lines.length > 1 && li != lines.length - 1 && !continuation && !params.isEmpty()) {
                appendLast(params, "\n");
            }
        }
        if (print != 0 || block != 0 || comment != 0 || quote != 0) throw new Unbalanced(text);
        return params;
    }

    /** Ansible's {@code join_args}: words back into text, a space between them except after a newline. */
    static String join(List<String> words) {
        StringBuilder sb = new StringBuilder();
        for (String w : words) {
            if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != '\n') sb.append(' ');
            sb.append(w);
        }
        return sb.toString();
    }

    /** Removes one pair of matching surrounding quotes, unless the closing one is escaped. */
    static String unquote(String s) {
        if (s.length() > 1 && s.charAt(0) == s.charAt(s.length() - 1) && (s.charAt(0) == '"' || s.charAt(0) == '\'')
                && s.charAt(s.length() - 2) != '\\') {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    private static void appendLast(List<String> params, String s) {
        params.set(params.size() - 1, params.get(params.size() - 1) + s);
    }

    /** The quote still open at the end of {@code token}, given the one open before it (0: none). */
    private static char quoteState(String token, char open) {
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if ((c == '"' || c == '\'') && (i == 0 || token.charAt(i - 1) != '\\')) {
                if (open == 0) open = c;
                else if (c == open) open = 0;
            }
        }
        return open;
    }

    private static int depth(String token, int depth, String open, String close) {
        int d = depth + count(token, open) - count(token, close);
        return Math.max(d, 0);
    }

    private static int count(String s, String sub) {
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) n++;
        return n;
    }

    /** The first '=' after position 0 that has no backslash before it, or -1. */
    private static int unescapedEquals(String s) {
        for (int i = s.indexOf('=', 1); i > 0; i = s.indexOf('=', i + 1)) {
            if (s.charAt(i - 1) != '\\') return i;
        }
        return -1;
    }

    private static final Pattern ESCAPE = Pattern.compile(
            "\\\\U[0-9a-fA-F]{8}|\\\\u[0-9a-fA-F]{4}|\\\\x[0-9a-fA-F]{2}|\\\\[0-7]{1,3}|"
                    + "\\\\N\\{[^}]+}|\\\\[\\\\'\"abfnrtv]");

    /** Python's unicode-escape decoding of the escapes Ansible decodes in {@code key=value} words. */
    static String decodeEscapes(String s) {
        if (s.indexOf('\\') < 0) return s;
        Matcher m = ESCAPE.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String e = m.group();
            String r = switch (e.charAt(1)) {
                case 'U', 'u', 'x' -> Character.toString(Integer.parseInt(e.substring(2), 16));
                case 'N' -> {
                    try {
                        yield Character.toString(Character.codePointOf(e.substring(3, e.length() - 1)));
                    } catch (IllegalArgumentException notAName) {
                        yield e;
                    }
                }
                case 'a' -> "\u0007";
                case 'b' -> "\b";
                case 'f' -> "\f";
                case 'n' -> "\n";
                case 'r' -> "\r";
                case 't' -> "\t";
                case 'v' -> "\u000b";
                case '\\', '\'', '"' -> e.substring(1);
                default -> Character.toString(Integer.parseInt(e.substring(1), 8));
            };
            m.appendReplacement(out, Matcher.quoteReplacement(r));
        }
        m.appendTail(out);
        return out.toString();
    }
}
