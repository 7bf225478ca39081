package dev.fleet.lookup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs a shell command on the controller for {@code pipe} and {@code lines}, as Ansible does: /bin/sh -c. */
final class ControllerCommand {
    /** How much stdout one command may produce: a lookup's answer is held in memory whole. */
    private static final int MAX_OUTPUT = (int) Lookup.MAX_TEXT_BYTES;

    private ControllerCommand() {}

    /** The command's stdout; fails with its exit code and stderr when it does not exit 0. */
    static String stdout(String command, Path cwd, String lookup) throws LookupException {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command);
        Path dir = cwd.toAbsolutePath();
        if (Files.isDirectory(dir)) pb.directory(dir.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new LookupException("lookup_plugin." + lookup + "(" + command + ") could not start: "
                    + e.getMessage(), e);
        }
        try {
            // stderr is drained alongside, so a chatty command cannot block on a full pipe.
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread errReader = Thread.ofVirtual().start(() -> copy(p.getErrorStream(), err, 1 << 16));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            boolean complete = copy(p.getInputStream(), out, MAX_OUTPUT);
            if (!complete) {
                p.destroyForcibly();
                throw new LookupException("lookup_plugin." + lookup + "(" + command + ") wrote more than "
                        + (MAX_OUTPUT >> 20) + " MiB to stdout; write it to a file and use the file lookup");
            }
            int rc = p.waitFor();
            errReader.join();
            if (rc != 0) {
                String stderr = err.toString(StandardCharsets.UTF_8).strip();
                throw new LookupException("lookup_plugin." + lookup + "(" + command + ") returned " + rc
                        + (stderr.isEmpty() ? "" : ": " + stderr));
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new LookupException("lookup_plugin." + lookup + "(" + command + ") interrupted", e);
        } catch (UncheckedIOException e) {
            p.destroyForcibly();
            throw new LookupException("lookup_plugin." + lookup + "(" + command + "): " + e.getMessage(), e);
        }
    }

    /** Copies up to limit bytes; false when there was more. */
    private static boolean copy(InputStream in, ByteArrayOutputStream out, int limit) {
        byte[] buf = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                if (out.size() + n > limit) return false;
                out.write(buf, 0, n);
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
