package dev.fleet.engine;

import dev.fleet.modules.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.HostSession;
import dev.fleet.transport.TransportException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code become}: runs every command through {@code sudo -u USER} on the same connection. The password, when
 * there is one, goes to sudo on stdin only ({@code -S}), never on a command line, in a log or in a result; with
 * none, {@code sudo -n} fails at once instead of hanging on a prompt.
 */
final class BecomeSession implements HostSession {
    private final HostSession inner;
    private final String user;
    private final RunOptions.Secret password;

    BecomeSession(HostSession inner, String user, RunOptions.Secret password) {
        this.inner = inner;
        this.user = user;
        this.password = password;
    }

    @Override
    public String host() {
        return inner.host();
    }

    @Override
    public CommandResult exec(String command, byte[] stdin, Duration timeout) throws TransportException {
        String sudo = "sudo -H " + (password == null ? "-n" : "-S -p ''") + " -u " + ShellQuote.quote(user)
                + " -- /bin/sh -c " + ShellQuote.quote(command);
        byte[] input = stdin;
        if (password != null) {
            byte[] pw = (password.value() + "\n").getBytes(StandardCharsets.UTF_8);
            byte[] rest = stdin == null ? new byte[0] : stdin;
            input = new byte[pw.length + rest.length];
            System.arraycopy(pw, 0, input, 0, pw.length);
            System.arraycopy(rest, 0, input, pw.length, rest.length);
        }
        return inner.exec(sudo, input, timeout);
    }

    /**
     * SFTP writes as the login user, so the file goes to a private temporary file first and is then copied into
     * place as the become user (keeping the target's owner when it exists, as Ansible does).
     */
    @Override
    public void upload(byte[] content, String remotePath, int mode) throws TransportException {
        String tmp = "/tmp/.fleet-upload-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        inner.upload(content, tmp, 0600);
        String q = ShellQuote.quote(remotePath);
        CommandResult r = exec("cat " + tmp + " > " + q + " && chmod " + Integer.toOctalString(mode) + " " + q
                + "; rc=$?; rm -f " + tmp + "; exit $rc", null, Duration.ofMinutes(2));
        if (r.exitCode() != 0) {
            inner.exec("rm -f " + tmp, null, Duration.ofSeconds(30));
            throw new TransportException(host(), TransportException.Kind.FILE_TRANSFER, "cannot write " + remotePath
                    + " as " + user + ": " + r.stderr().strip());
        }
    }

    @Override
    public void close() {
        // the connection belongs to the host, not to this view of it
    }
}
