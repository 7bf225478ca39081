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
 * A session to one host of an {@link SshdLab} (an overlay lab, for the service modules' tests that enable init
 * scripts and write /etc/init.d), run the way {@link ModuleHost} runs modules.
 */
final class ServiceLabSession implements AutoCloseable {
    private final SshTransport transport;
    final HostSession session;

    private ServiceLabSession(SshTransport transport, HostSession session) {
        this.transport = transport;
        this.session = session;
    }

    static ServiceLabSession connect(SshdLab lab, String name) throws Exception {
        SshTransport transport = new SshTransport(new SshSettings(lab.knownHosts(), HostKeyChecking.STRICT, List.of(),
                false, ModuleHost.TIMEOUT));
        try {
            LabHost h = lab.host(name);
            return new ServiceLabSession(transport, transport.connect(new ConnectionSpec(h.name(), h.address(),
                    h.port(), lab.user(), List.of(lab.privateKey()), Duration.ofSeconds(10))));
        } catch (Exception | Error e) {
            transport.close();
            throw e;
        }
    }

    TaskOutcome run(Module m, Map<String, Object> args, boolean check) throws Exception {
        return m.run(new ModuleContext(session, args, check, false, ModuleHost.TIMEOUT, Map.of(),
                new SimpleTemplater(), Path.of(".")));
    }

    /** A shell command's stdout on the host, trimmed. */
    String sh(String command) throws Exception {
        return session.exec(command, ModuleHost.TIMEOUT).stdout().strip();
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
