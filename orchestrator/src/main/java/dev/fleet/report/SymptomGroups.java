package dev.fleet.report;

import dev.fleet.result.HostStats;
import dev.fleet.result.TaskResult;
import dev.fleet.result.TaskStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Groups failing hosts by symptom: the same task failing with the same message once the host-specific parts
 * (addresses, ports, PIDs, timestamps, connection numbers, hex ids, temp file names, the host's own name and
 * address) are taken out. 1000 hosts failing the same way read as one line, not 1000.
 *
 * <p>Feed it every {@link TaskResult} in run order with {@link #add}; each host counts once, with its last
 * failure that was not ignored. Pure logic, no I/O: used by the console, JSON and HTML reports alike.
 */
public final class SymptomGroups {

    /** One symptom: the hosts (sorted) whose last failure normalizes to {@code message} on {@code task}. */
    public record Group(String play, String task, String source, TaskStatus status, String message, String example,
            List<String> hosts) {
        public int count() {
            return hosts.size();
        }

        /** {@code 37 hosts: Step 2 upstream socket: connect() to unix:/run/php/php8.3-fpm.sock failed (...)} */
        public String line() {
            return count() + (count() == 1 ? " host: " : " hosts: ") + task + ": " + message;
        }
    }

    private final Function<String, String> addressOf;
    private final Map<String, Integer> taskOrder = new HashMap<>();
    private final Map<String, TaskResult> lastProblem = new LinkedHashMap<>();

    public SymptomGroups() {
        this(h -> null);
    }

    /** @param addressOf a host's address (ansible_host) when known, so it is normalized too; may return null */
    public SymptomGroups(Function<String, String> addressOf) {
        this.addressOf = addressOf;
    }

    /** Groups these results, given in run order. */
    public static List<Group> of(Iterable<TaskResult> results) {
        SymptomGroups g = new SymptomGroups();
        results.forEach(g::add);
        return g.groups();
    }

    public void add(TaskResult r) {
        taskOrder.putIfAbsent(taskKey(r), taskOrder.size());
        boolean problem = r.status() == TaskStatus.FAILED || r.status() == TaskStatus.UNREACHABLE;
        if (problem && !r.ignored()) {
            lastProblem.remove(r.host()); // keep insertion order = order of the last failure
            lastProblem.put(r.host(), r);
        }
    }

    /** Number of hosts with a failure that was not ignored. */
    public int failingHosts() {
        return lastProblem.size();
    }

    /** Every host with a failure, grouped: largest group first, then by task order. */
    public List<Group> groups() {
        return groups(null);
    }

    /**
     * As {@link #groups()}, but only hosts that the final recap still counts as failed or unreachable: a failure a
     * block's {@code rescue} handled does not make a symptom.
     */
    public List<Group> groups(Map<String, HostStats> finalStats) {
        record Acc(TaskResult first, String message, TreeSet<String> hosts) {}
        Map<String, Acc> byKey = new LinkedHashMap<>();
        for (TaskResult r : lastProblem.values()) {
            if (finalStats != null) {
                HostStats s = finalStats.get(r.host());
                if (s != null && s.failed() == 0 && s.unreachable() == 0) continue;
            }
            String message = normalize(rawMessage(r), r.host(), addressOf.apply(r.host()));
            String key = r.status() + "\u0000" + taskKey(r) + "\u0000" + message;
            byKey.computeIfAbsent(key, k -> new Acc(r, message, new TreeSet<>(HOST_ORDER))).hosts.add(r.host());
        }
        List<Group> out = new ArrayList<>();
        List<Integer> order = new ArrayList<>();
        for (Acc a : byKey.values()) {
            TaskResult r = a.first;
            out.add(new Group(r.play(), r.task(), r.source(), r.status(), a.message, rawMessage(r),
                    List.copyOf(a.hosts)));
        }
        out.sort(Comparator.comparingInt(Group::count).reversed()
                .thenComparingInt(g -> taskOrder.getOrDefault(g.play() + "\u0000" + g.task() + "\u0000" + g.source(),
                        Integer.MAX_VALUE))
                .thenComparing(Group::message));
        return out;
    }

    private static String taskKey(TaskResult r) {
        return r.play() + "\u0000" + r.task() + "\u0000" + r.source();
    }

    /** Natural order for host names: web2 before web10. */
    static final Comparator<String> HOST_ORDER = (a, b) -> {
        int i = 0, j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i), cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int si = i, sj = j;
                while (i < a.length() && Character.isDigit(a.charAt(i))) i++;
                while (j < b.length() && Character.isDigit(b.charAt(j))) j++;
                String na = a.substring(si, i).replaceFirst("^0+(?=.)", "");
                String nb = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
                int c = na.length() != nb.length() ? Integer.compare(na.length(), nb.length()) : na.compareTo(nb);
                if (c != 0) return c;
            } else {
                if (ca != cb) return Character.compare(ca, cb);
                i++;
                j++;
            }
        }
        int c = Integer.compare(a.length() - i, b.length() - j);
        return c != 0 ? c : a.compareTo(b);
    };

    // ---- the message ------------------------------------------------------------------------------------------

    private static final Pattern ERRORISH = Pattern.compile(
            "(?i)\\[(emerg|alert|crit|error)]|\\b(error|errors|fatal|failed|failure|denied|refused|cannot|can't|"
                    + "unable|no such|not found|invalid|timed? ?out|unknown|missing|permission)\\b");
    private static final Pattern NOISE = Pattern.compile(
            "(?i)^(warning: permanently added .*|\\+ .*|[-=*#_~.\\s]*|sudo: unable to resolve host .*)$");
    private static final String GENERIC_MSG = "non-zero return code";

    /**
     * The raw text a failure is known by: the module's message and the first meaningful line of stderr (the
     * first line that looks like an error, else the first non-noise line); stdout stands in when stderr is empty
     * and the message says no more than "non-zero return code".
     */
    public static String rawMessage(TaskResult r) {
        var o = r.outcome();
        String msg = o.msg().strip();
        String line = meaningfulLine(o.stderr());
        if (line.isEmpty() && (msg.isEmpty() || msg.equals(GENERIC_MSG))) line = meaningfulLine(o.stdout());
        if (line.isEmpty() || msg.contains(line)) return msg.isEmpty() && o.rc() != null ? "rc=" + o.rc() : msg;
        return msg.isEmpty() ? line : msg + ": " + line;
    }

    static String meaningfulLine(String text) {
        if (text == null || text.isBlank()) return "";
        String first = "";
        for (String raw : text.split("\r?\n|\r")) {
            String line = stripAnsi(raw).strip();
            if (line.isEmpty() || NOISE.matcher(line).matches()) continue;
            if (ERRORISH.matcher(line).find()) return line;
            if (first.isEmpty()) first = line;
        }
        return first;
    }

    static String stripAnsi(String s) {
        return s.replaceAll("\u001b\\[[0-9;?]*[ -/]*[@-~]", "");
    }

    // ---- normalization ----------------------------------------------------------------------------------------

    private static final String MONTH = "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*";
    private static final String WEEKDAY = "(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\\s+)?";
    private static final String TIME = "\\d{1,2}:\\d{2}(?::\\d{2})?(?:[.,]\\d+)?";
    private static final String ZONE = "(?:\\s?(?:Z|[+-]\\d{2}:?\\d{2}|UTC|GMT|[A-Z]{3,4})\\b)?";

    /** Ordered: the most specific first; each replaces what it matches with a placeholder. */
    private static final List<Map.Entry<Pattern, String>> RULES = List.of(
            // timestamps: ISO-8601 / systemd (2026-11-25T12:56:53.123Z, Tue 2026-11-25 12:56:53 UTC)
            rule(WEEKDAY + "(?<![\\w.-])\\d{4}-\\d{2}-\\d{2}(?:[T ]" + TIME + ZONE + ")?", "<time>"),
            // nginx error log 2026/11/25 12:56:53
            rule("\\d{4}/\\d{2}/\\d{2}(?:\\s+" + TIME + ")?", "<time>"),
            // php-fpm [25-Nov-2026 12:56:53], apache [25/Nov/2026:12:56:53 +0000]
            rule("\\d{1,2}[-/]" + MONTH + "[-/]\\d{4}(?:[ :]" + TIME + ZONE + ")?", "<time>"),
            // syslog Nov 25 12:56:53, date(1) Tue Nov 25 12:56:53 UTC 2026
            rule(WEEKDAY + MONTH + "\\s+\\d{1,2},?(?:\\s+" + TIME + ZONE + ")?(?:\\s+\\d{4})?", "<time>"),
            rule("(?<![\\w:.])" + TIME + "(?![\\w:])", "<time>"),
            // UUIDs, 0x pointers, long hex ids (container ids, request ids, checksums)
            rule("(?i)\\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\b", "<uuid>"),
            rule("(?i)\\b0x[0-9a-f]+\\b", "<hex>"),
            rule("(?i)\\b(?=[0-9a-f]*\\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\\b", "<hex>"),
            rule("(?<![\\w.])\\d{9,}(?![\\w.])", "<n>"),
            // temp files: /tmp/tmp.Xy12AbCd, /var/tmp/fleet-123/..., mktemp names, .fleet-report123.json
            rule("(/(?:var/)?tmp/)[^\\s'\":;,)\\]]+", "$1<tmp>"),
            rule("\\btmp\\.[A-Za-z0-9]{6,}\\b", "<tmp>"),
            rule("(?<![\\w])\\.fleet[-\\w]*?\\d[\\w.-]*", "<tmp>"),
            // nginx "95#95:" (pid#tid) and connection numbers "*23"
            rule("\\b\\d+#\\d+:", "<pid>#<tid>:"),
            rule("(?<![\\w*])\\*\\d+\\b", "*<conn>"),
            // pids: php-fpm[1234], [pid 1234], pid=1234, PID: 1234, process 1234, process group 1234 (fleet's own
            // message about a frozen command), pgid/sid/session 1234, job 12
            rule("(?i)\\b(pid|pgid|sid|process(?: group)?(?: id)?|session(?: id)?|main pid|child|worker|job)"
                    + "([\\s:=#]+)\\d+\\b", "$1$2<pid>"),
            rule("\\[\\d{2,}]", "[<pid>]"));

    private static final Pattern IPV4 = Pattern.compile(
            "(?<![\\w.])(?:(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)(?::(\\d{1,5}))?(?![\\w.])");
    private static final Pattern IPV6_BRACKETED = Pattern.compile(
            "\\[([0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.%\\w]*)](?::(\\d{1,5}))?");
    private static final Pattern IPV6 = Pattern.compile(
            "(?<![\\w:.])((?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}"
                    + "|(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4})*)?::(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4})*)?"
                    + "(?:\\.\\d{1,3}){0,3})(?:%\\w+)?(?![\\w:])");
    private static final Pattern UNITS = Pattern.compile(
            "(?<![\\w.<])\\d+(?:\\.\\d+)?\\s?(ms|us|µs|ns|s|sec|secs|seconds?|minutes?|mins?|hours?|days?|"
                    + "[KMGTP]i?B|[kKMGT]|bytes?|%)(?![\\w])");

    private static Map.Entry<Pattern, String> rule(String regex, String replacement) {
        return Map.entry(Pattern.compile(regex), replacement);
    }

    /**
     * The message with host-specific parts replaced by placeholders ({@code <host>}, {@code <addr>}, {@code <ip>}
     * (an IPv4 or IPv6 address with its port, if any),
     * {@code <time>}, {@code <pid>}, {@code *<conn>}, {@code <hex>}, {@code <tmp>}, {@code <n>}, {@code <size>}), whitespace
     * collapsed. Two hosts failing the same way normalize to the same text.
     *
     * @param host    the host's inventory name (replaced wherever it stands as a word, also as a prefix of an FQDN)
     * @param address the host's address, or null
     */
    public static String normalize(String text, String host, String address) {
        if (text == null) return "";
        String s = stripAnsi(text);
        // an IP address is left to the address rules below, which also take its port
        if (address != null && !address.isBlank() && !address.equals(host) && !isIpLiteral(address)) {
            s = replaceName(s, address, "<addr>");
        }
        if (host != null && host.length() >= 2 && !isIpLiteral(host)) s = replaceName(s, host, "<host>");
        s = s.replaceAll("(<addr>|<host>):\\d{1,5}\\b", "$1:<port>");
        for (var r : RULES) s = r.getKey().matcher(s).replaceAll(r.getValue());
        // An address and its port become one <ip>: fleet writes IPv6 endpoints unbracketed (2001:db8::17:22),
        // where the port cannot be told from the address, so IPv4 endpoints must read the same.
        s = IPV6_BRACKETED.matcher(s).replaceAll("<ip>");
        s = IPV4.matcher(s).replaceAll("<ip>");
        s = IPV6.matcher(s).replaceAll(m -> {
            String v = m.group(1);
            // "::" alone or words like "std::" are not addresses: need a hex digit and two colons
            long colons = v.chars().filter(c -> c == ':').count();
            return colons >= 2 && v.chars().anyMatch(c -> Character.digit(c, 16) >= 0)
                    ? "<ip>" : Matcher.quoteReplacement(m.group());
        });
        // sizes in any unit read the same (1.2G free vs 310M free); durations and percentages keep their unit
        s = UNITS.matcher(s).replaceAll(m -> m.group(1).matches("[KMGTP]i?B|[kKMGT]|bytes?") ? "<size>"
                : "<n>" + Matcher.quoteReplacement(m.group(1)));
        return s.replaceAll("\\s+", " ").strip();
    }

    private static boolean isIpLiteral(String s) {
        return IPV4.matcher(s).matches() || s.indexOf(':') >= 0;
    }

    private static String replaceName(String s, String name, String placeholder) {
        Pattern p = Pattern.compile("(?<![\\w.-])" + Pattern.quote(name) + "(?![\\w-]|\\.\\d)",
                Pattern.CASE_INSENSITIVE);
        return p.matcher(s).replaceAll(Matcher.quoteReplacement(placeholder));
    }

    /**
     * Console lines for the largest {@code top} groups, each with its source and (abbreviated) hosts, then
     * "... N more groups".
     */
    public static List<String> describe(List<Group> groups, int top, int hostsShown) {
        List<String> lines = new ArrayList<>();
        for (Group g : groups.subList(0, Math.min(top, groups.size()))) {
            lines.add(g.line());
            List<String> hs = g.hosts();
            String shown = String.join(", ", hs.subList(0, Math.min(hostsShown, hs.size())));
            if (hs.size() > hostsShown) shown += ", ... (" + (hs.size() - hostsShown) + " more)";
            lines.add("    " + g.status().label() + " at " + g.source() + " on " + shown);
        }
        if (groups.size() > top) {
            int rest = groups.size() - top;
            int restHosts = groups.subList(top, groups.size()).stream().mapToInt(Group::count).sum();
            lines.add(String.format(Locale.ROOT, "... %d more group%s (%d host%s)", rest, rest == 1 ? "" : "s",
                    restHosts, restHosts == 1 ? "" : "s"));
        }
        return lines;
    }
}
