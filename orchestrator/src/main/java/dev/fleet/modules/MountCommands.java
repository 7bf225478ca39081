package dev.fleet.modules;

import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code mount}/{@code umount} command lines of {@code ansible.posix.mount} on Linux, as the collection builds
 * them: {@code mount [-T fstab] path} from the fstab entry ({@code -T} only for another file than
 * {@code /etc/fstab}), {@code mount -t fstype [-o opts] src path} for {@code ephemeral}, and a remount that falls
 * back to unmount and mount. Each returns null when it worked, else the command's output and error output.
 */
final class MountCommands {
    /** A remount with options failed: the collection refuses to fall back to unmount and mount. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    private final ModuleContext ctx;
    private final FstabLines.Entry entry;
    private final String fstab;
    private final String state;

    MountCommands(ModuleContext ctx, FstabLines.Entry entry, String fstab, String state) {
        this.ctx = ctx;
        this.entry = entry;
        this.fstab = fstab;
        this.state = state;
    }

    /** The arguments after the options: which fstab, or the ephemeral mount's type, options and source. */
    List<String> target() {
        List<String> args = new ArrayList<>();
        if (state.equals("ephemeral")) {
            args.addAll(List.of("-t", entry.fstype()));
            if (!entry.opts().equals("defaults")) args.addAll(List.of("-o", entry.opts()));
            args.add(entry.src());
        } else if (!fstab.equals("/etc/fstab")) {
            args.addAll(List.of("-T", fstab));
        }
        args.add(entry.path());
        return args;
    }

    List<String> mountArgv() {
        List<String> argv = new ArrayList<>(List.of("mount"));
        argv.addAll(target());
        return argv;
    }

    List<String> remountArgv() {
        boolean withOpts = state.equals("remounted") && !entry.opts().equals("defaults");
        List<String> argv = new ArrayList<>(List.of("mount", "-o", withOpts ? "remount," + entry.opts() : "remount"));
        argv.addAll(target());
        return argv;
    }

    String mount() throws TransportException {
        return run(mountArgv());
    }

    String umount() throws TransportException {
        return run(List.of("umount", entry.path()));
    }

    /** {@code mount -o remount}, else (unless options were given to {@code remounted}) unmount and mount. */
    String remount() throws TransportException, Refused {
        String err = run(remountArgv());
        if (err == null) return null;
        if (state.equals("remounted") && !entry.opts().equals("defaults")) {
            throw new Refused("Options were specified with remounted, but the remount command failed. Failing in"
                    + " order to prevent an unexpected mount result. Try replacing this command with a \"state:"
                    + " unmounted\" followed by a \"state: mounted\" using the full desired mount options instead.");
        }
        err = umount();
        return err != null ? err : mount();
    }

    private String run(List<String> argv) throws TransportException {
        CommandResult r = RemoteFiles.sh(ctx, ShellQuote.join(argv));
        return r.exitCode() == 0 ? null : r.stdout() + r.stderr();
    }
}
