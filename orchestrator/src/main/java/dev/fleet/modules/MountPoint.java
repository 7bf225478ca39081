package dev.fleet.modules;

import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.util.ArrayList;
import java.util.List;

/**
 * A mount point as {@code ansible.posix.mount} sees it, read in one round trip: whether it is a mount point by
 * Python's {@code ismount} rule (not a symlink, and on another device than its parent or the same inode as it),
 * and the host's {@link MountTable}. Also the directory work around mounting: creating missing directories (and
 * removing them again when the mount fails) and removing the mount point for {@code absent}.
 */
record MountPoint(String path, boolean ismount, MountTable table) {

    static MountPoint probe(ModuleContext ctx, String path) throws TransportException {
        String script = "p=" + ShellQuote.quote(path) + "\nm=0\n"
                + "if [ -e \"$p\" ] && [ ! -L \"$p\" ]; then\n"
                + "  a=$(stat -c '%d:%i' -- \"$p\"); b=$(stat -c '%d:%i' -- \"$(realpath -- \"$p/..\")\")\n"
                + "  if [ \"${a%%:*}\" != \"${b%%:*}\" ] || [ \"$a\" = \"$b\" ]; then m=1; fi\n"
                + "fi\necho \"$m\"\ncat /proc/self/mountinfo 2>/dev/null\n";
        CommandResult r = RemoteFiles.sh(ctx, script);
        String out = r.stdout();
        int nl = out.indexOf('\n');
        boolean ismount = out.startsWith("1");
        return new MountPoint(path, ismount, MountTable.parse(nl < 0 ? "" : out.substring(nl + 1)));
    }

    /** {@code ismount} or listed in the table (from {@code src}, when given). */
    boolean mounted(String src) {
        return ismount || table.mounted(path, src);
    }

    /**
     * The collection's {@code _is_same_mount_src} for an ephemeral mount: the table says {@code src} is mounted
     * there, or {@code mount -v} lists {@code src on path}.
     */
    boolean sameSource(ModuleContext ctx, String src) throws TransportException {
        if (!ismount && !table.mounted(path, null)) return false;
        if (table.mounted(path, src)) return true;
        CommandResult r = RemoteFiles.sh(ctx, "mount -v");
        for (String line : r.stdout().strip().split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length > 2 && f[0].equals(src) && f[2].equals(path)) return true;
        }
        return false;
    }

    /** The directories made, outermost first, or why not. */
    record Made(List<String> created, String error) {}

    /** Makes every missing directory of {@code path}, one at a time, printing each one made. */
    static Made makeDirectories(ModuleContext ctx, String path) throws TransportException {
        String script = "p=" + ShellQuote.quote(path) + "\n[ -e \"$p\" ] && exit 0\n"
                + "case \"$p\" in /*) c= ;; *) c=. ;; esac\n"
                + "IFS=/; set -f; for d in $p; do [ -z \"$d\" ] && continue; c=\"$c/$d\"\n"
                + "  if [ ! -e \"$c\" ]; then mkdir -- \"$c\" || exit 1; printf '%s\\n' \"$c\"; fi\ndone\n";
        CommandResult r = RemoteFiles.sh(ctx, script);
        List<String> made = new ArrayList<>(r.stdout().lines().toList());
        return new Made(made, r.exitCode() == 0 ? null : RemoteFiles.reason(r.stderr()));
    }

    /** Removes the directories {@link #makeDirectories} made, innermost first, ignoring failures. */
    static void removeCreated(ModuleContext ctx, List<String> created) throws TransportException {
        if (created.isEmpty()) return;
        StringBuilder s = new StringBuilder();
        for (int i = created.size() - 1; i >= 0; i--) {
            s.append("rmdir -- ").append(ShellQuote.quote(created.get(i))).append(" 2>/dev/null || exit 0\n");
        }
        RemoteFiles.sh(ctx, s.toString());
    }

    /** Removes the mount point when it exists ({@code absent}); null when done, else why not. */
    static String removeDirectory(ModuleContext ctx, String path) throws TransportException {
        CommandResult r = RemoteFiles.sh(ctx, "p=" + ShellQuote.quote(path)
                + "; [ -e \"$p\" ] || exit 0; rmdir -- \"$p\"");
        return r.exitCode() == 0 ? null : RemoteFiles.reason(r.stderr());
    }
}
