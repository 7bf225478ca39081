package dev.fleet.testing;

import dev.fleet.transport.CommandResult;
import dev.fleet.transport.HostSession;
import dev.fleet.transport.TransportException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A host that exists only in memory, for host-free tests of modules and of the engine: it records every command
 * and upload, and answers each command with the first scripted reply whose matcher accepts it (else exit 0, no
 * output). Thread-safe, since the engine runs a host's tasks on virtual threads.
 */
public final class FakeHostSession implements HostSession {

    /** One recorded command: the command line, the stdin it was given (null when none) and its timeout. */
    public record Exec(String command, byte[] stdin, Duration timeout) {
        public String stdinText() {
            return stdin == null ? null : new String(stdin, StandardCharsets.UTF_8);
        }
    }

    /** One recorded SFTP upload. */
    public record Upload(String path, byte[] content, int mode) {
        public String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    private record Reply(Predicate<String> when, Function<String, Object> answer) {}

    private final String host;
    private final java.util.function.BiConsumer<String, String> observer;
    private final List<Reply> replies = new CopyOnWriteArrayList<>();
    private final List<Exec> execs = new CopyOnWriteArrayList<>();
    private final List<Upload> uploads = new CopyOnWriteArrayList<>();
    private final List<String> failingUploadDirs = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    public FakeHostSession(String host) {
        this(host, (h, event) -> {});
    }

    /** With an observer told {@code (host, "start " + command)} and {@code (host, "end " + command)} for each exec. */
    public FakeHostSession(String host, java.util.function.BiConsumer<String, String> observer) {
        this.host = host;
        this.observer = observer;
    }

    /** Commands containing {@code fragment} exit with {@code rc} and print {@code stdout}. */
    public FakeHostSession on(String fragment, int rc, String stdout) {
        return on(fragment, rc, stdout, "");
    }

    public FakeHostSession on(String fragment, int rc, String stdout, String stderr) {
        return when(c -> c.contains(fragment), c -> result(rc, stdout, stderr));
    }

    /** Commands containing {@code fragment} fail the way a lost connection does. */
    public FakeHostSession loseConnectionOn(String fragment) {
        return when(c -> c.contains(fragment), c -> new TransportException(host,
                TransportException.Kind.UNREACHABLE, "connection to " + host + " lost (scripted)"));
    }

    /**
     * The general form: {@code answer} gives a {@link CommandResult} or a {@link TransportException} to throw.
     * Later scripts take precedence over earlier ones, so a test can refine a shared default.
     */
    public FakeHostSession when(Predicate<String> matcher, Function<String, Object> answer) {
        replies.add(0, new Reply(matcher, answer));
        return this;
    }

    public static CommandResult result(int rc, String stdout, String stderr) {
        Instant now = Instant.now();
        return new CommandResult(rc, stdout, stderr, now, now);
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public CommandResult exec(String command, byte[] stdin, Duration timeout) throws TransportException {
        if (closed) throw new TransportException(host, TransportException.Kind.UNREACHABLE, "session closed");
        execs.add(new Exec(command, stdin, timeout));
        observer.accept(host, "start " + command);
        try {
            for (Reply r : replies) {
                if (!r.when().test(command)) continue;
                Object a = r.answer().apply(command);
                if (a instanceof TransportException e) throw e;
                return (CommandResult) a;
            }
            return result(0, "", "");
        } finally {
            observer.accept(host, "end " + command);
        }
    }

    /** Uploads to paths starting with {@code prefix} fail as SFTP fails (missing directory, permissions). */
    public FakeHostSession failUploadsUnder(String prefix) {
        failingUploadDirs.add(prefix);
        return this;
    }

    @Override
    public void upload(byte[] content, String remotePath, int mode) throws TransportException {
        for (String prefix : failingUploadDirs) {
            if (remotePath.startsWith(prefix)) {
                throw new TransportException(host, TransportException.Kind.FILE_TRANSFER,
                        "upload to " + remotePath + " failed (scripted)");
            }
        }
        uploads.add(new Upload(remotePath, content.clone(), mode));
    }

    @Override
    public void close() {
        closed = true;
    }

    private final List<Duration> reconnects = new CopyOnWriteArrayList<>();
    private final AtomicInteger failingReconnects = new AtomicInteger();

    /** The next {@code n} reconnects fail as a host that is down does ("connection refused"). */
    public FakeHostSession failReconnects(int n) {
        failingReconnects.set(n);
        return this;
    }

    /** Opens the connection again (a closed fake works again), unless a scripted failure is due. */
    @Override
    public void reconnect(Duration connectTimeout) throws TransportException {
        reconnects.add(connectTimeout);
        observer.accept(host, "reconnect");
        if (failingReconnects.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new TransportException(host, TransportException.Kind.UNREACHABLE, "connect to " + host
                    + ": connection refused (scripted)");
        }
        closed = false;
    }

    /** The connect timeout of each reconnect, in order. */
    public List<Duration> reconnects() {
        return java.util.Collections.unmodifiableList(new ArrayList<>(reconnects)); // null: the default timeout
    }

    /** A new connection to this host: commands work again after {@link #close}. */
    public void reopen() {
        closed = false;
    }

    public boolean closed() {
        return closed;
    }

    /** Every command line run, in order. */
    public List<String> commands() {
        return execs.stream().map(Exec::command).toList();
    }

    public List<Exec> execs() {
        return List.copyOf(execs);
    }

    public List<Upload> uploads() {
        return List.copyOf(uploads);
    }

    /** The last content uploaded to each path. */
    public Map<String, String> files() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Upload u : uploads) out.put(u.path(), u.text());
        return out;
    }

    /** Commands that contain {@code fragment}. */
    public List<String> commandsContaining(String fragment) {
        List<String> out = new ArrayList<>();
        for (String c : commands()) if (c.contains(fragment)) out.add(c);
        return out;
    }
}
