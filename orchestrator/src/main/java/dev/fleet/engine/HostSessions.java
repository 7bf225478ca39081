package dev.fleet.engine;

import dev.fleet.playbook.Keywords;
import dev.fleet.playbook.Play;
import dev.fleet.template.TemplateException;
import dev.fleet.template.Templater;
import dev.fleet.transport.ConnectionSpec;
import dev.fleet.transport.HostSession;
import dev.fleet.transport.LocalSession;
import dev.fleet.transport.Transport;
import dev.fleet.transport.TransportException;
import dev.fleet.yaml.ParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The session a task's module runs through: the host's own connection (opened at its first task), a
 * {@code delegate_to} host's (opened once per run), or the controller ({@code localhost}, {@code connection:
 * local}); wrapped for {@code become} (sudo) and {@code environment}.
 */
final class HostSessions {
    /** Names that mean the controller itself. */
    private static final java.util.Set<String> CONTROLLER = java.util.Set.of("localhost", "127.0.0.1", "::1");

    private final Transport transport;
    private final ConnectionSpecs connections;
    private final RunOptions options;
    private final Templater templater;

    HostSessions(Transport transport, ConnectionSpecs connections, RunOptions options, Templater templater) {
        this.transport = transport;
        this.connections = connections;
        this.options = options;
        this.templater = templater;
    }

    /**
     * The host's session; under {@code become}, a sudo view of it; with {@code environment}, a view that exports
     * it to every command. The host's own connection is opened by the first command a module runs, as Ansible's
     * action plugins connect (tasks that never touch the host, such as debug or set_fact, run without it), and can
     * be opened again ({@link HostSession#reconnect}).
     */
    HostSession session(HostState host, Play play, Map<String, Object> vars, Keywords k, String delegate)
            throws TransportException, TemplateException, ParseException {
        HostSession session;
        boolean local = delegate != null ? CONTROLLER.contains(delegate)
                : "local".equals(vars.get("ansible_connection"));
        if (local) {
            session = new LocalSession(delegate != null ? "localhost" : host.name);
        } else if (delegate != null && !delegate.equals(host.name)) {
            Delegate d = delegate(delegate, play);
            session = d.session();
            String user = becomeUser(k);
            if (becomes(k) && !user.equals(d.user())) {
                session = new BecomeSession(session, user, options.becomePassword());
            }
        } else {
            if (host.session == null) {
                // Connection variables are read (and their errors reported) now; the connect waits for the first
                // command, so tasks that never touch the host do not need it.
                ConnectionSpec spec = connections.connectionSpec(host.name, play, vars);
                host.session = new ReconnectingSession(transport, spec);
                host.loginUser = spec.user();
            }
            session = host.session;
            String user = becomeUser(k);
            if (becomes(k) && !user.equals(host.loginUser)) {
                session = new BecomeSession(session, user, options.becomePassword());
            }
        }
        if (k.environment().isEmpty()) return session;
        @SuppressWarnings("unchecked")
        Map<String, Object> env = (Map<String, Object>) templater.renderDeep(k.environment(), vars);
        return new EnvironmentSession(session, env);
    }

    /** {@code become} as the task's keywords say, else as the run's defaults (ansible.cfg) say. */
    private boolean becomes(Keywords k) {
        return Boolean.TRUE.equals(k.become() != null ? k.become() : options.become());
    }

    private String becomeUser(Keywords k) {
        String user = k.becomeUser() != null ? k.becomeUser() : options.becomeUser();
        return user == null ? "root" : user;
    }

    /** A connection to a {@code delegate_to} host, opened once per run and shared by every task that delegates. */
    private record Delegate(HostSession session, String user) {}

    private final Map<String, java.util.concurrent.CompletableFuture<Delegate>> delegates = new ConcurrentHashMap<>();

    private Delegate delegate(String name, Play play) throws TransportException, TemplateException, ParseException {
        var mine = new java.util.concurrent.CompletableFuture<Delegate>();
        var existing = delegates.putIfAbsent(name, mine);
        if (existing == null) {
            try {
                ConnectionSpec spec = connections.forDelegate(name, play);
                Delegate d = new Delegate(transport.connect(spec), spec.user());
                mine.complete(d);
                return d;
            } catch (TransportException | TemplateException | ParseException | RuntimeException e) {
                delegates.remove(name, mine); // a later task may try again
                mine.completeExceptionally(e);
                throw e;
            }
        }
        try {
            return existing.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof TransportException t) throw t;
            throw new TransportException(name, TransportException.Kind.UNREACHABLE, "delegate_to " + name + ": "
                    + e.getCause().getMessage());
        }
    }

    /** Closes the connections opened for {@code delegate_to} hosts (at the end of the run). Blocking. */
    void close() {
        for (var f : delegates.values()) {
            if (f.isDone() && !f.isCompletedExceptionally()) f.join().session().close();
        }
        delegates.clear();
    }
}
