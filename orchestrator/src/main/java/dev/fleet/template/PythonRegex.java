package dev.fleet.template;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A regular expression written in Python's {@code re} syntax, as Ansible users write them in playbooks, run
 * on {@link java.util.regex}. Every regex filter and test of the templater goes through this class, and
 * modules with regex options ({@code lineinfile regexp}, {@code wait_for search_regex}) are meant to as well.
 *
 * <pre>{@code
 * PythonRegex re = PythonRegex.compile("(?P<key>\\w+)=(?P<val>.*)\\Z", PythonRegex.IGNORECASE);
 * Matcher m = re.matcher(line);                  // bounded in steps and time: see RegexSubject
 * if (m.find()) m.group(re.groupIndex("key"));
 * re.sub("\\g<val>=\\1", line, 0);              // Python's re.sub
 * m.replaceAll(re.replacement("\\g<val>"));      // or Java's own replace methods, with a translated replacement
 * }</pre>
 *
 * <p>What is translated: {@code (?P<name>...)} groups (Python names may hold underscores, Java's may not, so
 * they become numbered groups looked up with {@link #groupIndex}), {@code (?P=name)} and {@code \N}
 * backreferences, {@code \Z}, {@code \U0001F600}, octal escapes, {@code (?#comments)}, a lone {@code {} or
 * {@code [} that Python reads as a literal, {@code {,n}}, inline flags {@code (?aiLmsux)}, and Python's
 * Unicode-aware {@code \w \d \s} and line-end rules. What Java cannot do fails at compile time with
 * {@link IllegalArgumentException} naming the problem: conditional groups {@code (?(1)a|b)}, and escapes
 * Python itself refuses.
 *
 * <p>Every match is bounded: a pattern longer than {@link #MAX_PATTERN_LENGTH} is refused, and a matcher that
 * backtracks catastrophically throws {@link RegexSubject.TooSlow} (see {@link RegexSubject}).
 */
public final class PythonRegex {
    /** Python's {@code re.IGNORECASE}; the flag values are Python's, so {@code flags=2} means the same. */
    public static final int IGNORECASE = 2;
    /** Python's {@code re.LOCALE} (bytes patterns only in Python 3): accepted and ignored. */
    public static final int LOCALE = 4;
    public static final int MULTILINE = 8;
    public static final int DOTALL = 16;
    /** Python's {@code re.UNICODE}: the default for str patterns. */
    public static final int UNICODE = 32;
    public static final int VERBOSE = 64;
    /** Python's {@code re.ASCII}: {@code \w \d \s \b} and case folding stay within ASCII. */
    public static final int ASCII = 256;

    /** Longest pattern accepted; no sane playbook needs more, and compiling or scanning a huge one is slow. */
    public static final int MAX_PATTERN_LENGTH = 32 * 1024;

    private static final int MAX_CACHED = 1024;
    private static final Map<String, PythonRegex> CACHE = new ConcurrentHashMap<>();

    private final String source;
    private final Pattern pattern;
    private final Map<String, Integer> names;

    private PythonRegex(String source, Pattern pattern, Map<String, Integer> names) {
        this.source = source;
        this.pattern = pattern;
        this.names = names;
    }

    /**
     * Compiles a Python pattern.
     *
     * @param flags Python's flag values ({@link #IGNORECASE} | {@link #MULTILINE} | ...), 0 for none
     * @throws IllegalArgumentException if the pattern is too long or not valid Python regex syntax
     */
    public static PythonRegex compile(String pattern, int flags) {
        if (pattern.length() > MAX_PATTERN_LENGTH) {
            throw new IllegalArgumentException("regular expression is " + pattern.length()
                    + " characters long, over the limit of " + MAX_PATTERN_LENGTH + "; use a shorter pattern");
        }
        String key = flags + ":" + pattern;
        PythonRegex cached = CACHE.get(key);
        if (cached != null) return cached;
        PythonRegexTranslator t = new PythonRegexTranslator(pattern);
        String java = t.translate();
        int jflags = Pattern.UNIX_LINES; // Python's ., ^ and $ know only \n as a line end
        if ((flags & ASCII) == 0) jflags |= Pattern.UNICODE_CHARACTER_CLASS;
        if ((flags & IGNORECASE) != 0)
                jflags |= Pattern.CASE_INSENSITIVE | ((flags & ASCII) == 0 ? Pattern.UNICODE_CASE : 0);
        if ((flags & MULTILINE) != 0) jflags |= Pattern.MULTILINE;
        if ((flags & DOTALL) != 0) jflags |= Pattern.DOTALL;
        if ((flags & VERBOSE) != 0) jflags |= Pattern.COMMENTS;
        Pattern p;
        try {
            p = Pattern.compile(java, jflags);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid regular expression '" + abbreviate(pattern) + "': "
                    + e.getDescription());
        }
        PythonRegex re = new PythonRegex(pattern, p, Map.copyOf(t.names()));
        if (CACHE.size() >= MAX_CACHED) CACHE.clear();
        CACHE.put(key, re);
        return re;
    }

    /** Characters Python's {@code re.escape} puts a backslash before (since Python 3.7: only special ones). */
    private static final String SPECIAL = "()[]{}?*+-|^$\\.&~# \t\n\r\u000b\f";

    /** Python's {@code re.escape}: a backslash before every character that could mean something in a pattern. */
    public static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() * 2);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (SPECIAL.indexOf(c) >= 0) sb.append('\\');
            sb.append(c);
        }
        return sb.toString();
    }

    /** The pattern as written, in Python syntax. */
    public String source() {
        return source;
    }

    /** The translated Java pattern (named groups are plain numbered groups in it). */
    public Pattern pattern() {
        return pattern;
    }

    /** Number of capturing groups. */
    public int groupCount() {
        return pattern.matcher("").groupCount();
    }

    /** Named groups, name to group number, in the pattern's order. */
    public Map<String, Integer> groupNames() {
        return names;
    }

    /**
     * The number of a group given as Python would: a number, a digit string or a group name.
     *
     * @throws IllegalArgumentException if there is no such group
     */
    public int groupIndex(Object group) {
        int n;
        if (group instanceof Number num) {
            n = num.intValue();
        } else {
            String s = String.valueOf(group);
            if (!s.isEmpty() && s.chars().allMatch(Character::isDigit) && s.length() < 6) n = Integer.parseInt(s);
            else if (names.containsKey(s)) n = names.get(s);
            else throw new IllegalArgumentException("unknown group name '" + s + "' in '" + abbreviate(source) + "'");
        }
        if (n < 0 || n > groupCount()) {
            throw new IllegalArgumentException("invalid group reference " + n + " in '" + abbreviate(source) + "'");
        }
        return n;
    }

    /** A matcher over the text that fails with {@link RegexSubject.TooSlow} instead of backtracking for ever. */
    public Matcher matcher(CharSequence text) {
        return matcher(text, RegexSubject.budget());
    }

    /** A matcher over the text counted against a budget shared with other matches (a file's lines, say). */
    public Matcher matcher(CharSequence text, RegexSubject.Budget budget) {
        return RegexSubject.matcher(pattern, source, text, budget);
    }

    /**
     * Python's {@code re.sub(pattern, repl, text, count)}: {@code repl} in Python's syntax ({@code \1},
     * {@code \g<name>}, {@code \g<0>}, {@code \n}); groups that did not match insert nothing.
     *
     * @param count most replacements, 0 for all
     */
    public String sub(String repl, String text, int count) {
        return sub(repl, text, count, Long.MAX_VALUE);
    }

    /** {@link #sub(String, String, int)}, failing once the result grows past {@code maxLength}. */
    String sub(String repl, String text, int count, long maxLength) {
        String javaRepl = replacement(repl);
        Matcher m = matcher(text);
        StringBuilder sb = new StringBuilder();
        int n = 0;
        while ((count <= 0 || n < count) && m.find()) {
            m.appendReplacement(sb, javaRepl);
            if (sb.length() > maxLength) throw new IllegalArgumentException("result longer than " + maxLength);
            n++;
        }
        m.appendTail(sb);
        if (sb.length() > maxLength) throw new IllegalArgumentException("result longer than " + maxLength);
        return sb.toString();
    }

    /**
     * Translates a Python replacement string to Java's {@link Matcher#replaceAll(String)} syntax for this
     * pattern: {@code \1} and {@code \g<1>} become {@code $1}, {@code \g<name>} the named group's number,
     * Python's escapes ({@code \n \t \\ ...}) their characters, and everything else is quoted.
     *
     * @throws IllegalArgumentException for a reference to a group the pattern lacks, or a bad escape
     */
    public String replacement(String pyRepl) {
        StringBuilder out = new StringBuilder(pyRepl.length() + 8);
        for (int i = 0; i < pyRepl.length(); i++) {
            char c = pyRepl.charAt(i);
            if (c != '\\' || i + 1 >= pyRepl.length()) {
                literal(out, c);
                continue;
            }
            char d = pyRepl.charAt(++i);
            if (d == 'g') {
                int end = pyRepl.indexOf('>', i);
                if (i + 1 >= pyRepl.length() || pyRepl.charAt(i + 1) != '<' || end < 0) {
                    throw new IllegalArgumentException("missing group name in \\g<...> in replacement '"
                            + abbreviate(pyRepl) + "'");
                }
                out.append('$').append(groupIndex(pyRepl.substring(i + 2, end)));
                i = end;
            } else if (d == '0' || (d >= '1' && d <= '7' && octalAt(pyRepl, i))) {
                int j = i, v = 0;
                while (j < pyRepl.length() && j < i + 3 && pyRepl.charAt(j) >= '0' && pyRepl.charAt(j) <= '7') {
                    v = v * 8 + (pyRepl.charAt(j++) - '0');
                }
                literal(out, (char) v);
                i = j - 1;
            } else if (d >= '1' && d <= '9') {
                int j = i + 1;
                if (j < pyRepl.length() && Character.isDigit(pyRepl.charAt(j))) j++;
                out.append('$').append(groupIndex(Integer.parseInt(pyRepl.substring(i, j))));
                i = j - 1;
            } else {
                switch (d) {
                    case 'n' -> literal(out, '\n');
                    case 't' -> literal(out, '\t');
                    case 'r' -> literal(out, '\r');
                    case 'f' -> literal(out, '\f');
                    case 'v' -> literal(out, '\u000b');
                    case 'a' -> literal(out, '\u0007');
                    case 'b' -> literal(out, '\b');
                    case '\\' -> literal(out, '\\');
                    default -> {
                        if (d < 0x80 && Character.isLetter(d)) {
                            throw new IllegalArgumentException("bad escape \\" + d + " in replacement '"
                                    + abbreviate(pyRepl) + "'");
                        }
                        literal(out, '\\'); // Python keeps unknown non-letter escapes as written
                        literal(out, d);
                    }
                }
            }
        }
        return out.toString();
    }

    /** Python reads {@code \123} (three octal digits) as a character, not a group. */
    private static boolean octalAt(String s, int i) {
        return i + 2 < s.length() && isOctal(s.charAt(i + 1)) && isOctal(s.charAt(i + 2));
    }

    private static boolean isOctal(char c) {
        return c >= '0' && c <= '7';
    }

    /** A literal in a Java replacement; digits are quoted too, so that {@code $1} then {@code 0} stays group 1. */
    private static void literal(StringBuilder out, char c) {
        if (c == '\\' || c == '$' || (c >= '0' && c <= '9')) out.append('\\');
        out.append(c);
    }

    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    @Override
    public String toString() {
        return source;
    }
}
