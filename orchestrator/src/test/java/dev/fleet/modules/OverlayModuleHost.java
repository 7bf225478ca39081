package dev.fleet.modules;

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
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A session to one host of an overlay lab ({@link SshdLab#overlay}), for tests of modules that change the system
 * (apt). {@link #reset} gives the host a fresh copy of the machine's root and reconnects.
 */
final class OverlayModuleHost implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final SshdLab lab;
    private final String name;
    private SshTransport transport;
    private HostSession session;

    OverlayModuleHost(SshdLab lab, String name) throws Exception {
        this.lab = lab;
        this.name = name;
        connect();
    }

    private void connect() throws Exception {
        transport = new SshTransport(new SshSettings(lab.knownHosts(), HostKeyChecking.STRICT, List.of(), false,
                TIMEOUT));
        LabHost h = lab.host(name);
        session = transport.connect(new ConnectionSpec(h.name(), h.address(), h.port(), lab.user(),
                List.of(lab.privateKey()), Duration.ofSeconds(10)));
    }

    void reset() throws Exception {
        close();
        lab.reset(name);
        connect();
    }

    TaskOutcome run(Module m, Map<String, Object> args) throws Exception {
        return run(m, args, false);
    }

    TaskOutcome run(Module m, Map<String, Object> args, boolean check) throws Exception {
        return m.run(new ModuleContext(session, args, check, false, TIMEOUT, Map.of(), new SimpleTemplater(),
                Path.of(".")));
    }

    /** Runs a shell command on the host. */
    CommandResult sh(String command) throws Exception {
        return session.exec(command, TIMEOUT);
    }

    @Override
    public void close() {
        try {
            if (session != null) session.close();
        } finally {
            if (transport != null) transport.close();
        }
    }
}
