package dev.fleet.modules;

import com.sun.net.httpserver.HttpServer;
import dev.fleet.result.TaskOutcome;
import dev.fleet.template.SimpleTemplater;
import dev.fleet.testing.SshdFixture.LabHost;
import dev.fleet.testing.SshdLab;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.ConnectionSpec;
import dev.fleet.transport.HostKeyChecking;
import dev.fleet.transport.HostSession;
import dev.fleet.transport.SshSettings;
import dev.fleet.transport.SshTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A fresh overlay lab host (its root an overlay of this machine's, reset on open) and a session to it, for the
 * package repository modules' tests, which edit /etc/apt and dpkg's state. {@link #isolateApt} leaves apt with no
 * source but the ones a test adds, so that {@code apt-get update} never leaves the machine.
 */
final class AptLabHost implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final SshTransport transport;
    final HostSession session;

    private AptLabHost(SshTransport transport, HostSession session) {
        this.transport = transport;
        this.session = session;
    }

    /** Resets {@code host1} of the lab and connects to it. */
    static AptLabHost open(SshdLab lab) throws Exception {
        lab.reset("host1");
        SshTransport transport = new SshTransport(new SshSettings(lab.knownHosts(), HostKeyChecking.STRICT, List.of(),
                false, TIMEOUT));
        try {
            LabHost h = lab.host("host1");
            return new AptLabHost(transport, transport.connect(new ConnectionSpec(h.name(), h.address(), h.port(),
                    lab.user(), List.of(lab.privateKey()), Duration.ofSeconds(10))));
        } catch (Exception | Error e) {
            transport.close();
            throw e;
        }
    }

    /** Removes every apt source of the host (the machine's stay untouched: this is the overlay). */
    AptLabHost isolateApt() throws Exception {
        sh("rm -f /etc/apt/sources.list /etc/apt/sources.list.d/*");
        return this;
    }

    /** Runs {@code module} with {@code args} as the engine does; {@code check} and {@code diff} as the flags. */
    TaskOutcome run(Module module, Map<String, Object> args, boolean check, boolean diff) throws Exception {
        return module.run(new ModuleContext(session, args, check, diff, TIMEOUT, Map.of(), new SimpleTemplater(),
                Path.of(".")));
    }

    TaskOutcome run(Module module, Map<String, Object> args) throws Exception {
        return run(module, args, false, false);
    }

    /** A shell command on the host; fails the test unless it exits 0. Returns its output. */
    String sh(String script) throws Exception {
        CommandResult r = session.exec("/bin/sh -c " + dev.fleet.shell.ShellQuote.quote(script), TIMEOUT);
        if (r.exitCode() != 0) {
            throw new AssertionError("'" + script + "' exited " + r.exitCode() + ": " + r.stderr() + r.stdout());
        }
        return r.stdout();
    }

    /** Whether a shell test on the host succeeds. */
    boolean test(String condition) throws Exception {
        return session.exec("/bin/sh -c " + dev.fleet.shell.ShellQuote.quote(condition), TIMEOUT).exitCode() == 0;
    }

    /** A loopback HTTP server answering {@code path} (and any path it prefixes) with {@code body}; stop it after. */
    static HttpServer serve(String path, byte[] body) throws java.io.IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(path, ex -> {
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        return server;
    }

    @Override
    public void close() {
        try {
            session.close();
        } finally {
            transport.close();
        }
    }
}
