package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.shell.ShellQuote;
import dev.fleet.template.SimpleTemplater;
import dev.fleet.testing.SshdFixture.LabHost;
import dev.fleet.testing.SshdLab;
import dev.fleet.transport.CommandResult;
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
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A module test class's own lab host and a session to it, the one set-up every module test that runs commands
 * shares: {@code @RegisterExtension static final ModuleLab host = ModuleLab.plain();}. {@link #plain} is a real sshd
 * host on this machine; {@link #overlay} one whose root is an overlay of the machine's, for modules that change the
 * system. Like the {@link SshdLab} it wraps, it skips the class (with the reason) where that lab cannot run.
 */
final class ModuleLab implements BeforeAllCallback, AfterAllCallback {
    /** Module and command timeout of a plain lab. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Overlay labs run package managers and init scripts, which may take much longer. */
    static final Duration OVERLAY_TIMEOUT = Duration.ofSeconds(120);

    private final SshdLab lab;
    private final Duration timeout;
    private SshTransport transport;
    private HostSession session;

    private ModuleLab(SshdLab lab, Duration timeout) {
        this.lab = lab;
        this.timeout = timeout;
    }

    static ModuleLab plain() {
        return new ModuleLab(new SshdLab(1), TIMEOUT);
    }

    static ModuleLab overlay() {
        return new ModuleLab(SshdLab.overlay(1), OVERLAY_TIMEOUT);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        lab.beforeAll(context);
        connect();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            disconnect();
        } finally {
            lab.afterAll(context);
        }
    }

    private void connect() throws Exception {
        transport = new SshTransport(new SshSettings(lab.knownHosts(), HostKeyChecking.STRICT, List.of(), false,
                timeout));
        LabHost h = lab.hosts().get(0);
        session = transport.connect(new ConnectionSpec(h.name(), h.address(), h.port(), lab.user(),
                List.of(lab.privateKey()), Duration.ofSeconds(10)));
    }

    private void disconnect() {
        try {
            if (session != null) session.close();
        } finally {
            session = null;
            if (transport != null) transport.close();
            transport = null;
        }
    }

    /** Overlay labs only: gives the host a fresh copy of the machine's root; the old session dies with it. */
    void reset() throws Exception {
        disconnect();
        lab.reset(name());
        connect();
    }

    SshdLab lab() {
        return lab;
    }

    /** The host's inventory name (the lab's only host). */
    String name() {
        return lab.hosts().get(0).name();
    }

    HostSession session() {
        return session;
    }

    Duration timeout() {
        return timeout;
    }

    /** A context as the engine makes it for one task: no vars, the working directory as base. */
    ModuleContext ctx(Map<String, Object> args, boolean check, boolean diff, Duration moduleTimeout) {
        return new ModuleContext(session, args, check, diff, moduleTimeout, Map.of(), new SimpleTemplater(),
                Path.of("."));
    }

    ModuleContext ctx(Map<String, Object> args, boolean check, Duration moduleTimeout) {
        return ctx(args, check, false, moduleTimeout);
    }

    ModuleContext ctx(Map<String, Object> args) {
        return ctx(args, false, false, timeout);
    }

    TaskOutcome run(Module m, Map<String, Object> args, boolean check, boolean diff) throws Exception {
        return m.run(ctx(args, check, diff, timeout));
    }

    TaskOutcome run(Module m, Map<String, Object> args, boolean check) throws Exception {
        return run(m, args, check, false);
    }

    TaskOutcome run(Module m, Map<String, Object> args) throws Exception {
        return run(m, args, false, false);
    }

    /** Runs the module under --check. */
    TaskOutcome check(Module m, Map<String, Object> args) throws Exception {
        return run(m, args, true, false);
    }

    /**
     * A command's whole result, for tests that look at its exit code or expect it to fail. Runs in the login
     * shell of the lab user, as Ansible's raw does.
     */
    CommandResult exec(String command) throws Exception {
        return session.exec(command, timeout);
    }

    /** A /bin/sh script's standard output, untrimmed; fails the test unless the script exits 0. */
    String sh(String script) throws Exception {
        CommandResult r = exec("/bin/sh -c " + ShellQuote.quote(script));
        if (r.exitCode() != 0) {
            throw new AssertionError("'" + script + "' exited " + r.exitCode() + ": " + r.stderr() + r.stdout());
        }
        return r.stdout();
    }

    /** Whether a /bin/sh condition holds on the host (exits 0). */
    boolean test(String condition) throws Exception {
        return exec("/bin/sh -c " + ShellQuote.quote(condition)).exitCode() == 0;
    }

    /** Output of a command on this machine (not the lab host), trimmed; tests compare it with the host's. */
    static String local(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        p.waitFor();
        return out;
    }
}
