package dev.fleet.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The controller itself as a host ({@code delegate_to: localhost}): commands run under {@code /bin/sh -c} as
 * the user running fleet, with the same timeout semantics as over SSH (the whole process tree is killed).
 */
public final class LocalSession implements HostSession {
    private final String name;

    public LocalSession(String name) {
        this.name = name;
    }

    @Override
    public String host() {
        return name;
    }

    @Override
    public CommandResult exec(String command, byte[] stdin, Duration timeout) throws TransportException {
        Instant start = Instant.now();
        Process p;
        try {
            p = new ProcessBuilder("/bin/sh", "-c", command).start();
        } catch (IOException e) {
            throw new TransportException(name, TransportException.Kind.UNREACHABLE,
                    "cannot run /bin/sh on the controller: " + e.getMessage(), e);
        }
        OutputTail out = new OutputTail(SshTransport.outputCapFromEnvironment());
        OutputTail err = new OutputTail(SshTransport.outputCapFromEnvironment());
        Thread o = Thread.ofVirtual().start(() -> copy(p.getInputStream(), out));
        Thread e = Thread.ofVirtual().start(() -> copy(p.getErrorStream(), err));
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) in.write(stdin);
        } catch (IOException ignored) {
            // the command did not read its input
        }
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new TransportException(name, TransportException.Kind.COMMAND_TIMEOUT, "command did not finish "
                        + "within " + timeout.toSeconds() + "s on the controller and was stopped");
            }
            o.join(Duration.ofSeconds(5));
            e.join(Duration.ofSeconds(5));
        } catch (InterruptedException ex) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new TransportException(name, TransportException.Kind.COMMAND_TIMEOUT, "interrupted", ex);
        }
        return OutputTail.result(p.exitValue(), out, err, start);
    }

    /** Reads the stream to its end into {@code to}, which keeps at most its cap: the rest is never buffered. */
    private static void copy(InputStream in, OutputTail to) {
        byte[] buf = new byte[64 * 1024];
        try (in) {
            for (int n; (n = in.read(buf)) >= 0; ) to.write(buf, 0, n);
        } catch (IOException ignored) {
            // process ended
        }
    }

    @Override
    public void upload(byte[] content, String remotePath, int mode) throws TransportException {
        try {
            Path p = Path.of(remotePath);
            Files.write(p, content);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms(mode)));
        } catch (IOException | UnsupportedOperationException e) {
            throw new TransportException(name, TransportException.Kind.FILE_TRANSFER, "cannot write " + remotePath
                    + " on the controller: " + e.getMessage(), e);
        }
    }

    private static String perms(int mode) {
        StringBuilder sb = new StringBuilder();
        String rwx = "rwx";
        for (int i = 8; i >= 0; i--) sb.append((mode & (1 << i)) != 0 ? rwx.charAt(2 - i % 3) : '-');
        return sb.toString();
    }

    @Override
    public void close() {}

    @Override
    public boolean isController() {
        return true;
    }

    /** The controller needs no connection: nothing to open again. */
    @Override
    public void reconnect(Duration connectTimeout) {}
}
