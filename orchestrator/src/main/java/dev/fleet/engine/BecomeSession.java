package dev.fleet.engine;

import dev.fleet.shell.ShellQuote;
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
final class BecomeSession extends SessionView {
    private final String user;
    private final RunOptions.Secret password;

    BecomeSession(HostSession inner, String user, RunOptions.Secret password) {
        super(inner);
        this.user = user;
        this.password = password;
    }

    @Override
    public CommandResult exec(String command, byte[] stdin, Duration timeout) throws TransportException {
        byte[] input = stdin;
        String script = command;
        if (password != null) {
            // sudo reads the password from stdin only when it asks for one (not for root, NOPASSWD or a cached
            // login); otherwise the password line would be the first thing the command reads (`cat` would print
            // it into the result). So a random end-of-password line follows it, and the shell under sudo discards
            // everything up to that line before the command runs: the command only ever sees its own stdin.
            String mark = "fleet-become-" + Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
            script = "while IFS= read -r fleet_pw_line; do [ \"$fleet_pw_line\" = " + mark + " ] && break; done; "
                    + "unset fleet_pw_line; " + command;
            byte[] pw = (password.value() + "\n" + mark + "\n").getBytes(StandardCharsets.UTF_8);
            byte[] rest = stdin == null ? new byte[0] : stdin;
            input = new byte[pw.length + rest.length];
            System.arraycopy(pw, 0, input, 0, pw.length);
            System.arraycopy(rest, 0, input, pw.length, rest.length);
        }
        String sudo = "sudo -H " + (password == null ? "-n" : "-S -p ''") + " -u " + ShellQuote.quote(user)
                + " -- /bin/sh -c " + ShellQuote.quote(script);
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
}
