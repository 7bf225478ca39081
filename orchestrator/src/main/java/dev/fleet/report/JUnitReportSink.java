package dev.fleet.report;

import dev.fleet.result.RunEvent;
import dev.fleet.result.RunSink;
import dev.fleet.result.TaskResult;
import dev.fleet.result.TaskStatus;
import java.io.IOException;
import java.io.Writer;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the run as JUnit XML (the Ant/Jenkins {@code junit} shape that CI systems render): one
 * {@code <testsuite>} per play, one {@code <testcase>} per host and task, {@code classname} = play + "." + host.
 * A failed task is a {@code <failure type="failed">}, an unreachable host an {@code <error type="unreachable">}, a
 * skipped task {@code <skipped/>}; a failure allowed by {@code ignore_errors} passes, with a note in
 * {@code system-out}. Written to a temporary file and moved into place when the sink is closed.
 */
public final class JUnitReportSink implements RunSink {
    /** Output beyond this many characters per stream is clipped: CI pages choke on megabytes per test case. */
    static final int MAX_OUTPUT = 64 * 1024;
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final Path file;
    private String playbook = "";
    private final List<Play> plays = new ArrayList<>();
    private Play current;
    private boolean finished;

    private static final class Play {
        final String name;
        final List<String> hosts;
        final Instant start;
        Instant end;
        String abortReason;
        final List<TaskResult> results = new ArrayList<>();

        Play(String name, List<String> hosts, Instant start) {
            this.name = name;
            this.hosts = hosts;
            this.start = start;
        }
    }

    public JUnitReportSink(Path file) {
        this.file = file;
    }

    @Override
    public void accept(RunEvent event) {
        switch (event) {
            case RunEvent.RunStarted e -> playbook = e.playbook() == null ? "" : e.playbook();
            case RunEvent.PlayStarted e -> {
                current = new Play(e.play(), List.copyOf(e.hosts()), e.at());
                plays.add(current);
            }
            case RunEvent.HostTaskFinished e -> {
                if (current == null) {
                    current = new Play(e.result().play(), List.of(), e.result().start());
                    plays.add(current);
                }
                current.results.add(e.result());
            }
            case RunEvent.PlayFinished e -> {
                if (current != null) {
                    current.end = e.at();
                    current.abortReason = e.abortReason();
                }
                current = null;
            }
            case RunEvent.RunFinished e -> {
                for (Play p : plays) if (p.end == null) p.end = e.at();
                finished = true;
            }
            case RunEvent.TaskStarted e -> { }
        }
    }

    @Override
    public void close() throws Exception {
        if (!finished) return;
        AtomicFile.write(file, ".xml", this::write);
    }

    void write(Writer w) throws IOException {
        int tests = 0, failures = 0, errors = 0, skipped = 0;
        double time = 0;
        for (Play p : plays) {
            for (TaskResult r : p.results) {
                tests++;
                switch (kind(r)) {
                    case FAILED -> failures++;
                    case UNREACHABLE -> errors++;
                    case SKIPPED -> skipped++;
                    default -> { }
                }
            }
            time += seconds(p.start, p.end);
        }
        w.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        w.write("<testsuites name=\"" + attr("fleet " + playbook) + "\" tests=\"" + tests + "\" failures=\"" + failures
                + "\" errors=\"" + errors + "\" skipped=\"" + skipped + "\" time=\"" + decimal(time) + "\">\n");
        String hostname = controllerName();
        for (int i = 0; i < plays.size(); i++) writeSuite(w, plays.get(i), i, hostname);
        w.write("</testsuites>\n");
    }

    private void writeSuite(Writer w, Play p, int id, String hostname) throws IOException {
        int failures = 0, errors = 0, skipped = 0;
        for (TaskResult r : p.results) {
            switch (kind(r)) {
                case FAILED -> failures++;
                case UNREACHABLE -> errors++;
                case SKIPPED -> skipped++;
                default -> { }
            }
        }
        // Host by host (in the play's order), each host's tasks in run order.
        Map<String, List<TaskResult>> byHost = new LinkedHashMap<>();
        p.hosts.forEach(h -> byHost.put(h, new ArrayList<>()));
        for (TaskResult r : p.results) byHost.computeIfAbsent(r.host(), h -> new ArrayList<>()).add(r);

        String name = p.name == null || p.name.isBlank() ? "play " + (id + 1) : p.name;
        w.write("  <testsuite name=\"" + attr(name) + "\" tests=\"" + p.results.size() + "\" failures=\"" + failures
                + "\" errors=\"" + errors + "\" skipped=\"" + skipped + "\" time=\"" + decimal(seconds(p.start, p.end))
                + "\" timestamp=\"" + TIMESTAMP.format(p.start.truncatedTo(ChronoUnit.SECONDS)) + "\" hostname=\""
                + attr(hostname) + "\" id=\"" + id + "\" package=\"" + attr(playbook) + "\">\n");
        w.write("    <properties>\n      <property name=\"playbook\" value=\"" + attr(playbook) + "\"/>\n"
                + "      <property name=\"hosts\" value=\"" + byHost.size() + "\"/>\n    </properties>\n");
        for (var entry : byHost.entrySet()) {
            String classname = attr(name + "." + entry.getKey());
            for (TaskResult r : entry.getValue()) writeCase(w, r, classname);
        }
        // The play's failing hosts grouped by symptom, largest group first: what CI readers should read first.
        List<SymptomGroups.Group> groups = SymptomGroups.of(p.results);
        w.write(groups.isEmpty() ? "    <system-out/>\n"
                : "    <system-out>" + text("symptoms (largest group first):\n"
                        + String.join("\n", SymptomGroups.describe(groups, 20, 10))) + "</system-out>\n");
        w.write(p.abortReason == null ? "    <system-err/>\n"
                : "    <system-err>" + text("play aborted: " + p.abortReason) + "</system-err>\n");
        w.write("  </testsuite>\n");
    }

    private static void writeCase(Writer w, TaskResult r, String classname) throws IOException {
        var o = r.outcome();
        w.write("    <testcase name=\"" + attr(r.task()) + "\" classname=\"" + classname + "\" time=\""
                + decimal(seconds(r.start(), r.end())) + "\"");
        TaskStatus kind = kind(r);
        boolean ignored = r.ignored() && r.status() == TaskStatus.FAILED;
        if (kind != TaskStatus.FAILED && kind != TaskStatus.UNREACHABLE && kind != TaskStatus.SKIPPED && !ignored) {
            w.write("/>\n");
            return;
        }
        w.write(">\n");
        switch (kind) {
            case FAILED -> w.write("      <failure message=\"" + attr(firstLine(message(r))) + "\" type=\"failed\">"
                    + text(details(r)) + "</failure>\n");
            case UNREACHABLE -> w.write("      <error message=\"" + attr(firstLine(message(r)))
                    + "\" type=\"unreachable\">" + text(details(r)) + "</error>\n");
            case SKIPPED -> w.write(o.msg().isEmpty() ? "      <skipped/>\n"
                    : "      <skipped message=\"" + attr(o.msg()) + "\"/>\n");
            default -> { }
        }
        if (ignored) {
            w.write("      <system-out>" + text("ignored: the task failed, ignore_errors allowed it\n" + details(r))
                    + "</system-out>\n");
        }
        w.write("    </testcase>\n");
    }

    /** The status a CI reads: an ignored failure passes. */
    private static TaskStatus kind(TaskResult r) {
        if (r.ignored() && r.status() == TaskStatus.FAILED) return TaskStatus.OK;
        return r.status();
    }

    private static String message(TaskResult r) {
        String m = SymptomGroups.rawMessage(r);
        return m.isEmpty() ? r.status().label() : m;
    }

    private static String details(TaskResult r) {
        var o = r.outcome();
        StringBuilder sb = new StringBuilder();
        sb.append("task: ").append(r.task()).append(" (").append(r.source()).append(", module ").append(r.module())
                .append(")\nhost: ").append(r.host()).append('\n');
        if (o.rc() != null) sb.append("rc: ").append(o.rc()).append('\n');
        if (!o.msg().isEmpty()) sb.append("msg: ").append(o.msg()).append('\n');
        if (!o.stdout().isEmpty()) sb.append("stdout:\n").append(clip(o.stdout())).append('\n');
        if (!o.stderr().isEmpty()) sb.append("stderr:\n").append(clip(o.stderr())).append('\n');
        return sb.toString();
    }

    private static String clip(String s) {
        return s.length() <= MAX_OUTPUT ? s : s.substring(0, MAX_OUTPUT) + "\n... (" + s.length()
                + " chars in all, see --json)";
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        t = nl < 0 ? t : t.substring(0, nl);
        return t.length() <= 1000 ? t : t.substring(0, 1000) + "...";
    }

    private static double seconds(Instant a, Instant b) {
        if (a == null || b == null) return 0;
        return Math.max(0, Duration.between(a, b).toNanos() / 1e9);
    }

    private static String decimal(double seconds) {
        return String.format(Locale.ROOT, "%.3f", seconds);
    }

    private static String controllerName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException | RuntimeException e) {
            return "localhost";
        }
    }

    // ---- XML ----------------------------------------------------------------------------------------------------

    /** Element text: escaped, ANSI colour codes and characters XML 1.0 forbids removed. */
    static String text(String s) {
        return escape(s, false);
    }

    /** Attribute value: as {@link #text}, quotes and line breaks escaped too. */
    static String attr(String s) {
        return escape(s, true);
    }

    private static String escape(String s, boolean attribute) {
        if (s == null) return "";
        s = SymptomGroups.stripAnsi(s);
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            if (!legalXml(c)) continue;
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append(attribute ? "&quot;" : "\"");
                case '\'' -> sb.append(attribute ? "&apos;" : "'");
                case '\n' -> sb.append(attribute ? "&#10;" : "\n");
                case '\r' -> sb.append("&#13;");
                case '\t' -> sb.append(attribute ? "&#9;" : "\t");
                default -> sb.appendCodePoint(c);
            }
        }
        return sb.toString();
    }

    /** XML 1.0: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]; lone surrogates are out. */
    static boolean legalXml(int c) {
        return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
                || (c >= 0x10000 && c <= 0x10FFFF);
    }
}
