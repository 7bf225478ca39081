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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A session to one host of an overlay {@link SshdLab}, for the tests of modules that change the system
 * (authorized_key, timezone, locale_gen): runs a module with arguments, optionally in check mode, always with
 * {@code --diff}, and runs shell commands to look at the result.
 */
final class SettingsLabHost implements AutoCloseable {
    private final SshTransport transport;
    private final HostSession session;

    SettingsLabHost(SshdLab lab, String name) throws Exception {
        transport = new SshTransport(new SshSettings(lab.knownHosts(), HostKeyChecking.STRICT, List.of(), false,
                ModuleHost.TIMEOUT));
        try {
            LabHost h = lab.host(name);
            session = transport.connect(new ConnectionSpec(h.name(), h.address(), h.port(), lab.user(),
                    List.of(lab.privateKey()), Duration.ofSeconds(10)));
        } catch (Exception | Error e) {
            transport.close();
            throw e;
        }
    }

    TaskOutcome run(Module m, boolean check, Object... keysAndValues) throws Exception {
        Map<String, Object> args = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) args.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return m.run(new ModuleContext(session, args, check, true, ModuleHost.TIMEOUT, Map.of(),
                new SimpleTemplater(), Path.of(".")));
    }

    /** A shell command's stdout on the host (fails the test when it exits non-zero). */
    String sh(String script) throws Exception {
        CommandResult r = session.exec("/bin/sh -c " + dev.fleet.shell.ShellQuote.quote(script), ModuleHost.TIMEOUT);
        if (r.exitCode() != 0) throw new AssertionError("'" + script + "' exited " + r.exitCode() + ": " + r.stderr());
        return r.stdout();
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
