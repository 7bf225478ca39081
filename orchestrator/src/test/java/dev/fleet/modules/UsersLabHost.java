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
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's own overlay lab host ({@link SshdLab#overlay}) and a session to it, for the tests of the modules
 * that change accounts, the hostname and crontabs: {@code @RegisterExtension static final UsersLabHost host = new
 * UsersLabHost();}. Runs a module as the engine does (arguments checked against its spec), optionally under
 * --check or --diff, and plain commands to look at the result. Skips the class where overlay hosts cannot run.
 */
final class UsersLabHost implements BeforeAllCallback, AfterAllCallback {
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final SshdLab lab = SshdLab.overlay(1);
    private SshTransport transport;
    private HostSession session;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        lab.beforeAll(context);
        transport = new SshTransport(new SshSettings(lab.knownHosts(), HostKeyChecking.STRICT, List.of(), false,
                TIMEOUT));
        LabHost h = lab.hosts().get(0);
        session = transport.connect(new ConnectionSpec(h.name(), h.address(), h.port(), lab.user(),
                List.of(lab.privateKey()), Duration.ofSeconds(10)));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (session != null) session.close();
        } finally {
            try {
                if (transport != null) transport.close();
            } finally {
                lab.afterAll(context);
            }
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
}
