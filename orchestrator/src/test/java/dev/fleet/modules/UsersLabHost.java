package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.template.SimpleTemplater;
import dev.fleet.testing.SshdLab;
import dev.fleet.testing.SshdFixture.LabHost;
import dev.fleet.transport.ConnectionSpec;
import dev.fleet.transport.HostKeyChecking;
import dev.fleet.transport.HostSession;
import dev.fleet.transport.SshSettings;
import dev.fleet.transport.SshTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A session to one overlay lab host ({@link SshdLab#overlay}) for the tests of the modules that change accounts,
 * the hostname and crontabs: runs a module as the engine does (arguments checked against its spec), optionally
 * under --check or --diff, and runs plain commands to look at the result.
 */
final class UsersLabHost implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final SshTransport transport;
    private final HostSession session;

    UsersLabHost(SshdLab lab, String name) throws Exception {
        transport = new SshTransport(new SshSettings(lab.knownHosts(), HostKeyChecking.STRICT, List.of(), false,
                TIMEOUT));
        try {
            LabHost h = lab.host(name);
            session = transport.connect(new ConnectionSpec(h.name(), h.address(), h.port(), lab.user(),
                    List.of(lab.privateKey()), Duration.ofSeconds(10)));
        } catch (Exception | Error e) {
            transport.close();
            throw e;
        }
    }

    TaskOutcome run(Module m, Map<String, Object> args) throws Exception {
        return run(m, args, false, false);
    }

    TaskOutcome check(Module m, Map<String, Object> args) throws Exception {
        return run(m, args, true, false);
    }

    TaskOutcome run(Module m, Map<String, Object> args, boolean check, boolean diff) throws Exception {
        return m.run(new ModuleContext(session, args, check, diff, TIMEOUT, Map.of(), new SimpleTemplater(),
                Path.of(".")));
    }

    /** A command's standard output on the host (trailing newline removed); its exit code is ignored. */
    String sh(String command) throws Exception {
        return session.exec(command, TIMEOUT).stdout().stripTrailing();
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
