package dev.fleet.inventory;

import dev.fleet.yaml.ParseException;
import dev.fleet.yaml.SourcePosition;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * An Ansible host pattern such as {@code web:&prod:!web3}, {@code web*,db}, {@code ~web\d+} or {@code web[0:2]}.
 *
 * <p>Terms are separated by commas, or (when there is no comma) by colons outside {@code [..]}. A term is a
 * group or host name, {@code all} or {@code *}, a glob ({@code *}, {@code ?}, {@code [abc]}) over group and host
 * names, or {@code ~regex} (matched from the start of the name, as Python's {@code re.match}). A term prefixed
 * {@code &} intersects, {@code !} excludes. As in Ansible, plain terms are applied first, then intersections,
 * then exclusions, whatever their written order; with no plain term the start is {@code all}. A term may end in
 * a subscript: {@code [i]} (negative counts from the end) or {@code [i:j]} / {@code [i:]} with an inclusive end,
 * applied to the term's hosts in inventory order. Results come in inventory order without duplicates.
 */
public final class HostPattern {
    /** The hosts a pattern selected and what the user should be told (terms that matched nothing). */
    public record Selection(List<Host> hosts, List<String> warnings) {
        public Selection {
            hosts = List.copyOf(hosts);
            warnings = List.copyOf(warnings);
        }
    }

    private enum Op { UNION, INTERSECT, EXCLUDE }

    /** {@code sliceEnd} null: single index; {@code Integer.MAX_VALUE}: to the end. */
    private record Term(Op op, String text, Pattern regex, boolean special, Integer sliceStart, Integer sliceEnd) {}

    private static final Pattern SUBSCRIPT = Pattern.compile("^(.+)\\[(?:(-?[0-9]+)|([0-9]+)[:-]([0-9]*))\\]$");
    private static final Pattern IPV6 = Pattern.compile("^[0-9a-fA-F]*(:[0-9a-fA-F]*){2,7}$");
    private static final String SOURCE = "host pattern";

    private final String text;
    private final List<Term> terms;

    private HostPattern(String text, List<Term> terms) {
        this.text = text;
        this.terms = List.copyOf(terms);
    }

    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }

    /** Parses a pattern; fails on an empty pattern or term and on an invalid {@code ~regex}. */
    public static HostPattern parse(String pattern) throws ParseException {
        if (pattern == null || pattern.isBlank()) {
            throw new ParseException(new SourcePosition(SOURCE, 1, 1),
                    "empty host pattern; expected 'all', a group or host name, or a pattern like 'web:&prod'");
        }
        List<Term> terms = new ArrayList<>();
        for (int[] span : split(pattern)) {
            terms.add(term(pattern, pattern.substring(span[0], span[1]), span[0] + 1));
        }
        if (terms.isEmpty()) {
            throw new ParseException(new SourcePosition(SOURCE, 1, 1), "host pattern '" + pattern
                    + "' has no terms; expected names separated by ',' or ':'");
        }
        return new HostPattern(pattern, terms);
    }

    /** Term spans [start, end) as Ansible's split_host_pattern finds them. */
    private static List<int[]> split(String p) {
        List<int[]> spans = new ArrayList<>();
        if (p.indexOf(',') >= 0) {
            int start = 0;
            for (int i = 0; i <= p.length(); i++) {
                if (i == p.length() || p.charAt(i) == ',') {
                    addTrimmed(p, start, i, spans);
                    start = i + 1;
                }
            }
            return spans;
        }
        if (IPV6.matcher(p.strip()).matches() && p.contains("::")) {
            addTrimmed(p, 0, p.length(), spans); // an IPv6 address is one host name, not a:b:c
            return spans;
        }
        int start = -1;
        int depth = 0;
        for (int i = 0; i <= p.length(); i++) {
            char c = i < p.length() ? p.charAt(i) : ':';
            boolean sep = depth == 0 && (c == ':' || Character.isWhitespace(c));
            if (c == '[') depth++;
            else if (c == ']' && depth > 0) depth--;
            if (sep || i == p.length()) {
                if (start >= 0) spans.add(new int[] {start, i});
                start = -1;
            } else if (start < 0) {
                start = i;
            }
        }
        return spans;
    }

    private static void addTrimmed(String p, int start, int end, List<int[]> spans) {
        while (start < end && Character.isWhitespace(p.charAt(start))) start++;
        while (end > start && Character.isWhitespace(p.charAt(end - 1))) end--;
        if (end > start) spans.add(new int[] {start, end});
    }

    private static Term term(String whole, String raw, int column) throws ParseException {
        Op op = Op.UNION;
        String t = raw;
        if (t.startsWith("!") || t.startsWith("&")) {
            op = t.charAt(0) == '!' ? Op.EXCLUDE : Op.INTERSECT;
            t = t.substring(1);
            column++;
        }
        if (t.isEmpty()) {
            throw new ParseException(new SourcePosition(SOURCE, 1, column), "host pattern '" + whole + "': '" + raw
                    + "' needs a name after the operator");
        }
        Integer start = null;
        Integer end = null;
        Matcher sub = SUBSCRIPT.matcher(t);
        if (sub.matches()) {
            t = sub.group(1);
            if (sub.group(2) != null) {
                start = Integer.valueOf(sub.group(2));
            } else {
                start = Integer.valueOf(sub.group(3));
                end = sub.group(4).isEmpty() ? Integer.MAX_VALUE : Integer.valueOf(sub.group(4));
            }
        }
        Pattern regex = null;
        boolean special = false;
        if (t.startsWith("~")) {
            try {
                regex = Pattern.compile(t.substring(1));
            } catch (PatternSyntaxException e) {
                int at = e.getIndex() >= 0 ? column + 1 + e.getIndex() : column;
                throw new ParseException(new SourcePosition(SOURCE, 1, at), "bad regular expression in host pattern '"
                        + raw + "': " + e.getDescription());
            }
            special = true;
        } else if (t.indexOf('*') >= 0 || t.indexOf('?') >= 0 || t.indexOf('[') >= 0) {
            regex = Pattern.compile(globToRegex(t));
            special = true;
        }
        // Ansible also looks at host names when the term contains a dot, as in 'web1.example.com'.
        special |= t.indexOf('.') >= 0;
        return new Term(op, t, regex, special, start, end);
    }

    /** fnmatch translation: * any, ? one, [seq] / [!seq] classes, everything else literal. */
    static String globToRegex(String glob) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                sb.append(".*");
            } else if (c == '?') {
                sb.append('.');
            } else if (c == '[') {
                int j = i + 1;
                if (j < glob.length() && glob.charAt(j) == '!') j++;
                if (j < glob.length() && glob.charAt(j) == ']') j++;
                while (j < glob.length() && glob.charAt(j) != ']') j++;
                if (j >= glob.length()) {
                    sb.append("\\[");
                } else {
                    String cls = glob.substring(i + 1, j).replace("\\", "\\\\").replace("[", "\\[");
                    if (cls.startsWith("!")) cls = "^" + cls.substring(1);
                    else if (cls.startsWith("^")) cls = "\\" + cls;
                    sb.append('[').append(cls).append(']');
                    i = j;
                }
            } else {
                sb.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return sb.toString();
    }

    /** Evaluates the pattern against an inventory. */
    public Selection select(Inventory inventory) {
        List<String> warnings = new ArrayList<>();
        Set<String> result = new LinkedHashSet<>();
        boolean anyUnion = terms.stream().anyMatch(t -> t.op() == Op.UNION);
        if (!anyUnion) result.addAll(inventory.hostsOf(InventoryBuilder.ALL));
        for (Op op : Op.values()) {
            for (Term t : terms) {
                if (t.op() != op) continue;
                List<String> matched = match(t, inventory, warnings);
                switch (op) {
                    case UNION -> result.addAll(matched);
                    case INTERSECT -> result.retainAll(Set.copyOf(matched));
                    case EXCLUDE -> matched.forEach(result::remove);
                }
            }
        }
        List<String> ordered = new ArrayList<>(result);
        ordered.sort((a, b) -> Integer.compare(inventory.indexOf(a), inventory.indexOf(b)));
        List<Host> hosts = new ArrayList<>(ordered.size());
        for (String h : ordered) inventory.host(h).ifPresent(hosts::add);
        return new Selection(hosts, warnings);
    }

    private List<String> match(Term t, Inventory inv, List<String> warnings) {
        Set<String> names = new LinkedHashSet<>();
        boolean groupMatched = false;
        for (String g : inv.groups().keySet()) {
            if (matches(t, g)) {
                groupMatched = true;
                names.addAll(inv.hostsOf(g));
            }
        }
        if (!groupMatched || t.special()) {
            for (Host h : inv.hosts()) if (matches(t, h.name())) names.add(h.name());
        }
        // Ansible's implicit localhost: only by its exact name, and only when nothing else matched.
        if (names.isEmpty() && t.regex() == null && inv.isImplicit(t.text())) names.add(t.text());
        List<String> ordered = new ArrayList<>(names);
        ordered.sort((a, b) -> Integer.compare(inv.indexOf(a), inv.indexOf(b)));
        List<String> out = t.sliceStart() == null ? ordered : slice(ordered, t.sliceStart(), t.sliceEnd());
        if (out.isEmpty()) {
            String why = "";
            if (!ordered.isEmpty()) why = " (index out of range: " + ordered.size() + " hosts)";
            else if (groupMatched && t.regex() == null) why = " (group '" + t.text() + "' has no hosts)";
            warnings.add("pattern '" + t.text() + subscriptText(t) + "' matched no hosts" + why);
        }
        return out;
    }

    private static String subscriptText(Term t) {
        if (t.sliceStart() == null) return "";
        if (t.sliceEnd() == null) return "[" + t.sliceStart() + "]";
        return "[" + t.sliceStart() + ":" + (t.sliceEnd() == Integer.MAX_VALUE ? "" : t.sliceEnd()) + "]";
    }

    private static List<String> slice(List<String> hosts, int start, Integer end) {
        int n = hosts.size();
        if (end == null) {
            int i = start < 0 ? n + start : start;
            return i >= 0 && i < n ? List.of(hosts.get(i)) : List.of();
        }
        int to = end == Integer.MAX_VALUE ? n : Math.min(n, end + 1); // Ansible's end is inclusive
        return start >= to ? List.of() : new ArrayList<>(hosts.subList(Math.min(start, n), to));
    }

    private static boolean matches(Term t, String name) {
        if (t.regex() == null) return t.text().equals(name);
        Matcher m = t.regex().matcher(name);
        return t.text().startsWith("~") ? m.lookingAt() : m.matches();
    }
}
