package dev.fleet.result;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The secret values of one run (everything that came out of a vault) and the means to keep them out of output:
 * every occurrence in a string becomes {@value #MASK}. One per run, fed while files are read and consulted where
 * events leave for sinks ({@link #wrap(RunSink)}), so the console, the JSON/JUnit/HTML reports and the history
 * all see the same redacted events; anything else that prints run data can call {@link #redact(String)}.
 *
 * <p>Values shorter than {@value #MIN_LENGTH} characters are not masked: replacing every "on" or "1" in the
 * output would garble it while hiding nothing worth hiding. Thread-safe: secrets may be added while the run goes.
 */
public final class Redactor {
    public static final String MASK = "********";
    public static final int MIN_LENGTH = 4;

    private final Set<String> secrets = ConcurrentHashMap.newKeySet();
    /** Longest first, so a secret containing another is masked whole; rebuilt on add. */
    private volatile List<String> ordered = List.of();

    /** Adds a secret; a multi-line one also adds each of its lines, as output often shows them one by one. */
    public void add(String value) {
        if (value == null) return;
        boolean changed = addOne(value) | addOne(value.strip());
        if (value.indexOf('\n') >= 0) for (String line : value.split("\r?\n")) changed |= addOne(line.strip());
        if (changed) {
            List<String> sorted = new ArrayList<>(secrets);
            sorted.sort(Comparator.comparingInt(String::length).reversed());
            ordered = List.copyOf(sorted);
        }
    }

    private boolean addOne(String s) {
        return s.length() >= MIN_LENGTH && secrets.add(s);
    }

    public boolean isEmpty() {
        return ordered.isEmpty();
    }

    /** {@code text} with every secret masked; null stays null. */
    public String redact(String text) {
        if (text == null) return null;
        String out = text;
        for (String s : ordered) if (out.contains(s)) out = out.replace(s, MASK);
        return out;
    }

    /** Strings anywhere in maps and lists (module data, registered results) masked; keys too. */
    public Object redactValue(Object value) {
        if (ordered.isEmpty()) return value;
        return switch (value) {
            case String s -> redact(s);
            case Map<?, ?> m -> {
                Map<String, Object> out = new LinkedHashMap<>();
                m.forEach((k, v) -> out.put(redact(String.valueOf(k)), redactValue(v)));
                yield out;
            }
            case List<?> l -> {
                List<Object> out = new ArrayList<>(l.size());
                for (Object v : l) out.add(redactValue(v));
                yield out;
            }
            case null, default -> value;
        };
    }

    @SuppressWarnings("unchecked")
    public TaskOutcome redact(TaskOutcome o) {
        if (ordered.isEmpty()) return o;
        return new TaskOutcome(o.status(), o.rc(), redact(o.stdout()), redact(o.stderr()), redact(o.msg()),
                (Map<String, Object>) redactValue(o.data()));
    }

    public TaskResult redact(TaskResult r) {
        if (ordered.isEmpty()) return r;
        return new TaskResult(r.host(), redact(r.play()), redact(r.task()), r.module(), r.source(),
                redact(r.outcome()), r.ignored(), r.start(), r.end());
    }

    /** Custom stats with every string in them masked (host names are left alone). */
    @SuppressWarnings("unchecked")
    public CustomStats redact(CustomStats c) {
        if (ordered.isEmpty()) return c;
        Map<String, Map<String, Object>> hosts = new LinkedHashMap<>();
        c.hosts().forEach((h, m) -> hosts.put(h, (Map<String, Object>) redactValue(m)));
        return new CustomStats((Map<String, Object>) redactValue(c.run()), hosts);
    }

    /** The event with every text field redacted (host names and counters are left alone). */
    public RunEvent redact(RunEvent event) {
        if (ordered.isEmpty()) return event;
        return switch (event) {
            case RunEvent.RunStarted e -> e;
            case RunEvent.PlayStarted e -> new RunEvent.PlayStarted(redact(e.play()), e.hosts(), e.at());
            case RunEvent.TaskStarted e -> new RunEvent.TaskStarted(redact(e.play()), redact(e.task()), e.source(),
                    e.hostCount(), e.at());
            case RunEvent.HostTaskFinished e -> new RunEvent.HostTaskFinished(redact(e.result()), e.at());
            case RunEvent.PlayFinished e -> new RunEvent.PlayFinished(redact(e.play()), redact(e.abortReason()),
                    e.at());
            case RunEvent.RunFinished e -> e.custom().isEmpty() ? e : new RunEvent.RunFinished(e.stats(),
                    redact(e.custom()), e.interrupted(), e.at());
        };
    }

    /** A sink that receives every event redacted; the place where events leave the engine for output. */
    public RunSink wrap(RunSink sink) {
        return new Redacting(sink, this);
    }

    /** Named, so "report sink ... failed" messages say which sink. */
    private record Redacting(RunSink sink, Redactor redactor) implements RunSink {
        @Override
        public void accept(RunEvent event) {
            sink.accept(redactor.redact(event));
        }

        @Override
        public void close() throws Exception {
            sink.close();
        }
    }

    public List<RunSink> wrap(List<RunSink> sinks) {
        return sinks.stream().map(this::wrap).toList();
    }

    @Override
    public String toString() {
        return "Redactor[" + ordered.size() + " secrets]"; // never the values
    }
}
