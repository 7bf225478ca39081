package dev.fleet.testing;

import dev.fleet.transport.ConnectionSpec;
import dev.fleet.transport.HostSession;
import dev.fleet.transport.Transport;
import dev.fleet.transport.TransportException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A transport whose hosts are {@link FakeHostSession}s: one per inventory host, made on first connect and kept,
 * so a test can script a host before the run and read what it was sent afterwards. Hosts named in
 * {@link #unreachable} refuse to connect (until {@link #reachable}); a connect opens a closed fake again.
 */
public final class FakeTransport implements Transport {
    private final Map<String, FakeHostSession> hosts = new ConcurrentHashMap<>();
    private final Set<String> unreachable = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> connects = new ConcurrentHashMap<>();
    private volatile Consumer<FakeHostSession> defaults = s -> {};
    /** Every exec start and end on every host, in the order they happened: "host: start|end command". */
    private final List<String> log = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    /** Scripts applied to every host when it is first made (before per-host scripts). */
    public FakeTransport defaults(Consumer<FakeHostSession> script) {
        this.defaults = script;
        return this;
    }

    /** The host's fake session (made now if it does not exist yet). */
    public FakeHostSession host(String name) {
        return hosts.computeIfAbsent(name, n -> {
            FakeHostSession s = new FakeHostSession(n, (h, event) -> log.add(h + ": " + event));
            defaults.accept(s);
            return s;
        });
    }

    public FakeTransport unreachable(String... names) {
        unreachable.addAll(Set.of(names));
        return this;
    }

    /** The hosts connect again. */
    public FakeTransport reachable(String... names) {
        unreachable.removeAll(Set.of(names));
        return this;
    }

    /** Every exec start and end on every host, in order: {@code "h1: start echo a"}, {@code "h1: end echo a"}. */
    public List<String> log() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    /** How many times the engine connected to {@code name}. */
    public int connects(String name) {
        return connects.getOrDefault(name, 0);
    }

    @Override
    public HostSession connect(ConnectionSpec spec) throws TransportException {
        connects.merge(spec.host(), 1, Integer::sum);
        if (unreachable.contains(spec.host())) {
            throw new TransportException(spec.host(), TransportException.Kind.UNREACHABLE,
                    "connect to " + spec.host() + " refused (scripted)");
        }
        FakeHostSession s = host(spec.host());
        s.reopen();
        return s;
    }
}
