package dev.fleet.inventory;

import dev.fleet.yaml.ParseException;
import dev.fleet.yaml.SourcePosition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses Ansible's INI inventory format (the ini inventory plugin's rules): {@code [group]},
 * {@code [group:vars]}, {@code [group:children]}; hosts before the first section go to {@code ungrouped}; host
 * lines are split like a POSIX shell ({@code foo="a b"}, {@code #} starts a comment) and may carry
 * {@code host:port}; values are typed by {@link IniValues}. As in Ansible, a {@code [g:vars]} section or a child
 * group must refer to a group declared in the same file by {@code [g]} or {@code [g:children]} (or earlier in a
 * directory inventory), which catches misspelled group names.
 */
final class IniInventoryParser {
    private static final Pattern SECTION = Pattern.compile("^\\[([^:\\]\\s]+)(?::(\\w+))?\\]\\s*(?:#.*)?$");
    private static final Pattern GROUP_NAME = Pattern.compile("^([^:\\]\\s]+)\\s*(?:#.*)?$");
    private static final Pattern BRACKETED_IPV6 = Pattern.compile("^\\[([0-9a-fA-F:.]+)\\](?::([^:]*))?$");

    private enum State { HOSTS, VARS, CHILDREN }

    private record Token(String text, int column) {}

    private record Reference(String section, String group, SourcePosition position) {}

    private final String file;
    private final InventoryBuilder builder;
    private final Set<String> declared = new HashSet<>();
    private final Map<String, SourcePosition> varsSections = new LinkedHashMap<>();
    private final List<Reference> childRefs = new ArrayList<>();

    private IniInventoryParser(String file, InventoryBuilder builder) {
        this.file = file;
        this.builder = builder;
    }

    static void parse(String text, String file, InventoryBuilder builder) throws ParseException {
        new IniInventoryParser(file, builder).run(text);
    }

    private void run(String text) throws ParseException {
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        String group = InventoryBuilder.UNGROUPED;
        State state = State.HOSTS;
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].endsWith("\r") ? lines[n].substring(0, lines[n].length() - 1) : lines[n];
            String stripped = line.strip();
            if (stripped.isEmpty() || stripped.startsWith("#") || stripped.startsWith(";")) continue;
            int indent = line.indexOf(stripped.charAt(0));
            SourcePosition pos = new SourcePosition(file, n + 1, indent + 1);
            Matcher m = SECTION.matcher(stripped);
            if (m.matches()) {
                group = m.group(1);
                String type = m.group(2) == null ? "hosts" : m.group(2);
                state = switch (type) {
                    case "hosts" -> State.HOSTS;
                    case "vars" -> State.VARS;
                    case "children" -> State.CHILDREN;
                    default -> throw new ParseException(pos, "section [" + group + ":" + type + "] has unknown type '"
                            + type + "'; expected [" + group + "], [" + group + ":vars] or [" + group + ":children]");
                };
                if (state == State.VARS) {
                    if (!builder.hasGroup(group)) varsSections.putIfAbsent(group, pos);
                } else {
                    declared.add(group);
                }
                builder.group(group, pos);
                continue;
            }
            if (stripped.startsWith("[") && (stripped.endsWith("]") || stripped.indexOf(']') < 0)) {
                throw new ParseException(pos, "bad section header '" + stripped
                        + "': expected [group], [group:vars] or [group:children] with no spaces in the name");
            }
            switch (state) {
                case HOSTS -> hostLine(group, line, n + 1);
                case VARS -> varLine(group, stripped, pos);
                case CHILDREN -> childLine(group, stripped, pos);
            }
        }
        checkReferences();
    }

    private void checkReferences() throws ParseException {
        ParseException first = null;
        for (Map.Entry<String, SourcePosition> e : varsSections.entrySet()) {
            if (declared.contains(e.getKey())) continue;
            ParseException pe = new ParseException(e.getValue(), "section [" + e.getKey() + ":vars] is for group '"
                    + e.getKey() + "', which is not defined; declare it with [" + e.getKey() + "] or list it under"
                    + " a [parent:children] section that is itself declared");
            first = earlier(first, pe);
        }
        for (Reference r : childRefs) {
            if (declared.contains(r.group())) continue;
            ParseException pe = new ParseException(r.position(), "section [" + r.section()
                    + ":children] includes undefined group '" + r.group() + "'; declare it with [" + r.group()
                    + "] or [" + r.group() + ":children]");
            first = earlier(first, pe);
        }
        if (first != null) throw first;
    }

    private static ParseException earlier(ParseException a, ParseException b) {
        return a == null || b.position().line() < a.position().line() ? b : a;
    }

    private void varLine(String group, String line, SourcePosition pos) throws ParseException {
        int eq = line.indexOf('=');
        if (eq <= 0 || line.substring(0, eq).isBlank()) {
            throw new ParseException(pos, "section [" + group + ":vars] line '" + line + "' is not key=value");
        }
        String key = line.substring(0, eq).strip();
        builder.setGroupVar(group, key, IniValues.parse(line.substring(eq + 1).strip()), pos);
    }

    private void childLine(String group, String line, SourcePosition pos) throws ParseException {
        Matcher m = GROUP_NAME.matcher(line);
        if (!m.matches()) {
            throw new ParseException(pos, "section [" + group + ":children] line '" + line
                    + "' is not a group name; expected one group name per line");
        }
        String child = m.group(1);
        if (!builder.hasGroup(child)) childRefs.add(new Reference(group, child, pos));
        builder.addChild(group, child, pos);
    }

    private void hostLine(String group, String line, int lineNo) throws ParseException {
        List<Token> tokens = tokenize(line, lineNo);
        if (tokens.isEmpty()) return; // only a comment after all
        Token first = tokens.get(0);
        SourcePosition pos = new SourcePosition(file, lineNo, first.column());
        if (first.text().indexOf('=') >= 0) {
            throw new ParseException(pos, "host line starts with '" + first.text()
                    + "'; expected a host name first, then key=value variables");
        }
        String name = first.text();
        Map<String, Object> vars = new LinkedHashMap<>();
        String[] hostAndPort = splitPort(name, pos);
        if (hostAndPort[1] != null) {
            vars.put("ansible_port", port(hostAndPort[1], name, pos));
            name = hostAndPort[0];
        }
        List<String> names = HostRanges.hasRange(name) ? HostRanges.expand(name, pos) : List.of(name);
        for (Token t : tokens.subList(1, tokens.size())) {
            int eq = t.text().indexOf('=');
            if (eq <= 0) {
                throw new ParseException(new SourcePosition(file, lineNo, t.column()), "host '" + first.text()
                        + "': '" + t.text() + "' is not key=value; inline host variables must be key=value");
            }
            vars.put(t.text().substring(0, eq), IniValues.parse(t.text().substring(eq + 1)));
        }
        for (String h : names) builder.addHost(group, h, vars, pos);
    }

    /**
     * Splits {@code host:port} the way Ansible's parse_address does; colons inside {@code [a:b]} ranges are not
     * separators, bare IPv6 addresses (several colons) have no port, {@code [v6addr]:port} has one.
     * @return {host, port or null}
     */
    static String[] splitPort(String token, SourcePosition pos) throws ParseException {
        Matcher v6 = BRACKETED_IPV6.matcher(token);
        if (v6.matches() && (v6.group(1).contains("::") || v6.group(1).chars().filter(c -> c == ':').count() >= 7)) {
            return new String[] {v6.group(1), v6.group(2)};
        }
        int depth = 0;
        int colon = -1;
        int colons = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '[') depth++;
            else if (c == ']') depth--;
            else if (c == ':' && depth == 0) {
                colons++;
                colon = i;
            }
        }
        if (colons != 1) return new String[] {token, null};
        return new String[] {token.substring(0, colon), token.substring(colon + 1)};
    }

    static int port(String text, String host, SourcePosition pos) throws ParseException {
        int p = -1;
        if (text.matches("[0-9]{1,5}")) p = Integer.parseInt(text);
        if (p < 1 || p > 65535) {
            throw new ParseException(pos, "host '" + host + "': port '" + text + "' is not a number 1-65535");
        }
        return p;
    }

    /**
     * POSIX shell-like split with comments, as Python's {@code shlex.split(line, comments=True)} that Ansible uses:
     * quotes group and are removed, a backslash escapes the next character, {@code #} outside quotes ends the line.
     */
    private List<Token> tokenize(String line, int lineNo) throws ParseException {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int len = line.length();
        while (i < len) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (c == '#') break;
            int start = i;
            StringBuilder sb = new StringBuilder();
            boolean comment = false;
            while (i < len && !Character.isWhitespace(line.charAt(i))) {
                c = line.charAt(i);
                if (c == '#') {
                    comment = true;
                    break;
                }
                if (c == '\'' || c == '"') {
                    int close = i + 1;
                    StringBuilder q = new StringBuilder();
                    while (close < len && line.charAt(close) != c) {
                        char d = line.charAt(close);
                        // inside double quotes a backslash escapes only \ " $ ` (POSIX)
                        if (c == '"' && d == '\\' && close + 1 < len && "\\\"$`".indexOf(line.charAt(close + 1)) >= 0) {
                            close++;
                            d = line.charAt(close);
                        }
                        q.append(d);
                        close++;
                    }
                    if (close >= len) {
                        throw new ParseException(new SourcePosition(file, lineNo, i + 1), "unterminated " + c
                                + " quote; expected a closing " + c + " on the same line");
                    }
                    sb.append(q);
                    i = close + 1;
                } else if (c == '\\') {
                    if (i + 1 >= len) {
                        throw new ParseException(new SourcePosition(file, lineNo, i + 1),
                                "backslash at end of line; expected a character to escape");
                    }
                    sb.append(line.charAt(i + 1));
                    i += 2;
                } else {
                    sb.append(c);
                    i++;
                }
            }
            if (sb.length() > 0 || i > start) out.add(new Token(sb.toString(), start + 1));
            if (comment) break;
        }
        return out;
    }
}
