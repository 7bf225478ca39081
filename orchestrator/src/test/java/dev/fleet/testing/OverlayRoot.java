package dev.fleet.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A lab host whose root file system is an overlay of this machine's own root, for tests of modules that change
 * the system (apt, user, group, hostname, files under /etc): everything the host writes lands in its own upper
 * directory ({@code <hostDir>/upper}), never on the machine. Its sshd runs chrooted into the overlay, in private
 * mount, PID and UTS namespaces (so {@code hostname} and mounts are its own and every process it started dies
 * with it), with a fresh {@code /run}, the machine's {@code /dev}, a read-only {@code /sys} and {@code /proc/sys}
 * (kernel settings are not namespaced: a test must not change the machine's), and the machine's {@code /tmp}
 * bind-mounted (tests hand files to the host there, as on an ordinary lab host). Deleting the upper directory
 * while the host is stopped resets it to the machine's root.
 *
 * <p>Needs root, {@code unshare} and overlayfs ({@link #available()}); tests guard with {@code assumeTrue}.
 */
final class OverlayRoot {
    private static Boolean available;

    private OverlayRoot() {}

    /** The command that starts {@code sshdLine} in the overlay of {@code hostDir} (see the class comment). */
    static List<String> command(Path hostDir, String hostname, Path workDir, Path quietBashrc, String sshdLine) {
        String m = q(hostDir.resolve("merged").toString());
        String home = System.getProperty("user.home");
        StringBuilder s = new StringBuilder("set -e\n");
        // The upper directory on the machine's disk, so a test can look at what the host wrote; where the
        // file system refuses to hold an overlay's upper directory (an overlay root itself), a tmpfs does.
        s.append("if ! mount -t overlay overlay -o lowerdir=/,upperdir=").append(q(hostDir + "/upper"))
                .append(",workdir=").append(q(hostDir + "/work")).append(' ').append(m).append(" 2>/dev/null; then\n")
                .append("  mount -t tmpfs tmpfs ").append(q(hostDir + "/upper")).append('\n')
                .append("  mkdir ").append(q(hostDir + "/upper/u")).append(' ').append(q(hostDir + "/upper/w"))
                .append('\n')
                .append("  mount -t overlay overlay -o lowerdir=/,upperdir=").append(q(hostDir + "/upper/u"))
                .append(",workdir=").append(q(hostDir + "/upper/w")).append(' ').append(m).append('\n')
                .append("fi\n");
        s.append("mount --rbind /dev ").append(m).append("/dev\n");
        s.append("mount -t proc proc ").append(m).append("/proc\n");
        s.append("mount --bind ").append(m).append("/proc/sys ").append(m).append("/proc/sys\n");
        s.append("mount -o remount,bind,ro ").append(m).append("/proc/sys\n");
        s.append("mount --rbind /sys ").append(m).append("/sys\n");
        s.append("mount -o remount,bind,ro ").append(m).append("/sys\n");
        s.append("mount -t tmpfs -o mode=755 tmpfs ").append(m).append("/run\n");
        s.append("mkdir -p ").append(m).append("/run/sshd ").append(m).append("/run/lock\n");
        s.append("mount --bind /tmp ").append(m).append("/tmp\n");
        if (!workDir.startsWith("/tmp")) {
            s.append("mkdir -p ").append(m).append(q(workDir.toString())).append('\n');
            s.append("mount --bind ").append(q(workDir.toString())).append(' ').append(m)
                    .append(q(workDir.toString())).append('\n');
        }
        s.append("if [ -f ").append(m).append(q(home + "/.bashrc")).append(" ]; then mount --bind ")
                .append(q(quietBashrc.toString())).append(' ').append(m).append(q(home + "/.bashrc")).append("; fi\n");
        s.append("hostname ").append(q(hostname)).append('\n');
        s.append("exec chroot ").append(m).append(' ').append(sshdLine).append('\n');
        return List.of("unshare", "-m", "-p", "-u", "-f", "--propagation", "private", "sh", "-c", s.toString());
    }

    /** Creates the host's directories; with {@code reset}, first deletes what an earlier start wrote. */
    static void prepare(Path hostDir, boolean reset) throws IOException {
        if (reset) deleteTree(hostDir);
        for (String d : List.of("upper", "work", "merged")) Files.createDirectories(hostDir.resolve(d));
    }

    /**
     * Whether overlay hosts can run here: root, and a probe that mounts an overlay of / in a private mount
     * namespace succeeds. Probed once per JVM.
     */
    static synchronized boolean available() {
        if (available == null) available = probe();
        return available;
    }

    private static boolean probe() {
        if (!"root".equals(System.getProperty("user.name"))) return false;
        Path dir = null;
        try {
            dir = Files.createTempDirectory("fleet-overlay-probe-");
            prepare(dir, false);
            String script = "mount -t overlay overlay -o lowerdir=/,upperdir=" + q(dir + "/upper") + ",workdir="
                    + q(dir + "/work") + " " + q(dir + "/merged") + " && test -d " + q(dir + "/merged/etc");
            Process p = new ProcessBuilder("unshare", "-m", "-p", "-u", "-f", "--propagation", "private", "sh", "-c",
                    script).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            if (dir != null) {
                try {
                    deleteTree(dir);
                } catch (IOException e) {
                    // A probe directory left in /tmp is harmless.
                }
            }
        }
    }

    /** Deletes a host directory; the overlay's work directory holds root-only entries Java can still remove. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            // e.g. a directory the overlay left without permissions: let rm try before giving up.
            Process p = new ProcessBuilder("rm", "-rf", dir.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            if (Files.exists(dir)) throw new IOException("could not delete " + dir + ": " + out, e);
        }
    }

    private static String q(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
