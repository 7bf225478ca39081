package dev.fleet.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The playbook's directory as one zip, which is how a clustered run ships a playbook with every file, template,
 * role and vars file beside it. Bounded both ways: a directory too big to ship is refused with its size, and
 * unpacking never writes outside the target directory nor more than the bound.
 */
final class PlaybookArchive {
    static final long MAX_BYTES = 64L * 1024 * 1024;
    static final int MAX_FILES = 20_000;

    private PlaybookArchive() {}

    /** The files under {@code dir} (not {@code .git}), zipped. */
    static byte[] pack(Path dir) throws ClusterException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long total = 0;
        int count = 0;
        try (ZipOutputStream zip = new ZipOutputStream(bytes); Stream<Path> walk = Files.walk(dir)) {
            List<Path> files = walk.filter(Files::isRegularFile)
                    .filter(p -> !dir.relativize(p).toString().startsWith(".git")).sorted().toList();
            for (Path f : files) {
                total += Files.size(f);
                if (++count > MAX_FILES || total > MAX_BYTES) {
                    throw new ClusterException("the playbook directory " + dir + " is too big to ship to the workers"
                            + " (more than " + MAX_FILES + " files or " + MAX_BYTES / (1024 * 1024) + " MiB); "
                            + "put the playbook in a directory of its own with only what it uses");
                }
                zip.putNextEntry(new ZipEntry(dir.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, zip);
                zip.closeEntry();
            }
        } catch (IOException | UncheckedIOException e) {
            throw new ClusterException("cannot read the playbook directory " + dir + " to ship it: " + e.getMessage());
        }
        return bytes.toByteArray();
    }

    /** Unpacks {@code zip} into {@code dir}, refusing entries that would land outside it. */
    static void unpack(byte[] zip, Path dir) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        long total = 0;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                Path target = root.resolve(e.getName()).normalize();
                if (!target.startsWith(root) || e.isDirectory()) continue;
                Files.createDirectories(target.getParent());
                total += copy(in, target, MAX_BYTES - total);
            }
        }
    }

    private static long copy(InputStream in, Path target, long left) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long written = 0;
        try (var out = Files.newOutputStream(target)) {
            for (int n = in.read(buf); n > 0; n = in.read(buf)) {
                written += n;
                if (written > left) throw new IOException("the shipped playbook is over " + MAX_BYTES + " bytes");
                out.write(buf, 0, n);
            }
        }
        return written;
    }
}
