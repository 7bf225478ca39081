package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.template.SimpleTemplater;
import dev.fleet.testing.SshdFixture;
import dev.fleet.testing.SshdFixture.LabHost;
import dev.fleet.transport.ConnectionSpec;
import dev.fleet.transport.HostKeyChecking;
import dev.fleet.transport.HostSession;
import dev.fleet.transport.SshSettings;
import dev.fleet.transport.SshTransport;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** One real sshd host (SshdFixture) and an open session to it, for module tests that run commands. */
final class ModuleHost implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final SshdFixture lab;
    private final SshTransport transport;
    final HostSession session;

    private ModuleHost(SshdFixture lab, SshTransport transport, HostSession session) {
        this.lab = lab;
        this.transport = transport;
        this.session = session;
    }

    static ModuleHost start(Path dir) throws Exception {
        SshdFixture lab = SshdFixture.start(dir, 1);
        SshTransport transport = null;
        try {
            transport = new SshTransport(new SshSettings(lab.knownHosts(), HostKeyChecking.STRICT, List.of(), false,
                    TIMEOUT));
            LabHost h = lab.hosts().get(0);
            HostSession s = transport.connect(new ConnectionSpec(h.name(), h.address(), h.port(), lab.user(),
                    List.of(lab.privateKey()), Duration.ofSeconds(10)));
            return new ModuleHost(lab, transport, s);
        } catch (Exception | Error e) {
            if (transport != null) transport.close();
            lab.close();
            throw e;
        }
    }

    ModuleContext ctx(Map<String, Object> args) {
        return ctx(args, false, TIMEOUT);
    }

    ModuleContext ctx(Map<String, Object> args, boolean check, Duration timeout) {
        return new ModuleContext(session, args, check, false, timeout, Map.of(), new SimpleTemplater(), Path.of("."));
    }

    TaskOutcome run(Module m, Map<String, Object> args) throws Exception {
        return m.run(ctx(args));
    }

    @Override
    public void close() {
        try {
            session.close();
        } finally {
            try {
                transport.close();
            } finally {
                lab.close();
            }
        }
    }

    /** Output of a local command, trimmed. */
    static String local(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        p.waitFor();
        return out;
    }
}
