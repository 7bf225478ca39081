package dev.fleet.modules;

import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;

/**
 * Home directories on the host: Python's {@code os.path.expanduser} for {@code path} arguments that start with
 * {@code ~} (Ansible expands them on the host, as the user the module runs as), and a user's home from the
 * password database ({@code pwd.getpwnam(user).pw_dir}).
 */
final class RemoteHome {
    private RemoteHome() {}

    /** {@code ~} and {@code ~/x} as {@code $HOME}, {@code ~user/x} as that user's home; other paths as they are. */
    static String expand(ModuleContext ctx, String path) throws TransportException, RemoteFiles.HostFailure {
        if (!path.startsWith("~")) return path;
        int slash = path.indexOf('/');
        String user = slash < 0 ? path.substring(1) : path.substring(1, slash);
        String rest = slash < 0 ? "" : path.substring(slash);
        String home = user.isEmpty() ? homeOfCurrentUser(ctx) : homeOf(ctx, user);
        // expanduser leaves "~nobody-such" as it is
        if (home == null) return path;
        return home.equals("/") && !rest.isEmpty() ? rest : home + rest;
    }

    /** The user's home directory, or null if there is no such user. */
    static String homeOf(ModuleContext ctx, String user) throws TransportException {
        CommandResult r = RemoteFiles.sh(ctx, "getent passwd " + ShellQuote.quote(user) + " | cut -d: -f6");
        String home = r.stdout().strip();
        return r.exitCode() != 0 || home.isEmpty() ? null : home;
    }

    private static String homeOfCurrentUser(ModuleContext ctx) throws TransportException, RemoteFiles.HostFailure {
        CommandResult r = RemoteFiles.sh(ctx, "printf '%s' \"${HOME:-$(getent passwd \"$(id -u)\" | cut -d: -f6)}\"");
        String home = r.stdout().strip();
        if (home.isEmpty()) throw new RemoteFiles.HostFailure("cannot find the home directory of the remote user");
        return home;
    }
}
