package dev.fleet.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * What a clustered run ships as files, as one zip: the playbook's directory (every file, template, role and vars
 * file beside it) under {@code playbook/}, and the role directories it uses from outside it under names the caller
 * gives ({@link ShippedRoles}). Bounded both ways: too much to ship is refused with its size, and unpacking never
 * writes outside the target directory nor more than the bound, and refuses an entry that would.
 */
final class PlaybookArchive {
    static final long MAX_BYTES = 64L * 1024 * 1024;
    static final int MAX_FILES = 20_000;
    /** Where the playbook's own directory lands in the archive and in the worker's run directory. */
    static final String PLAYBOOK = "playbook";

    private PlaybookArchive() {}

    /** The files under {@code dir} (not {@code .git}), zipped under {@value #PLAYBOOK}/. */
    static byte[] pack(Path dir) throws ClusterException {
        return pack(dir, Map.of());
    }

    /**
     * The files under {@code playbookDir} under {@value #PLAYBOOK}/, and those under each of {@code extra}'s
     * directories under its key (a relative path of '/'-separated names); {@code .git} left out everywhere.
     */
    static byte[] pack(Path playbookDir, Map<String, Path> extra) throws ClusterException {
        Map<String, Path> roots = new LinkedHashMap<>();
        roots.put(PLAYBOOK, playbookDir);
        roots.putAll(extra);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long total = 0;
        int count = 0;
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, Path> root : roots.entrySet()) {
                Path dir = root.getValue().toRealPath(); // a role linked into the roles path ships its files
                for (Path f : files(dir)) {
                    total += Files.size(f);
                    if (++count > MAX_FILES || total > MAX_BYTES) {
                        throw new ClusterException("the playbook directory " + playbookDir + (roots.size() > 1
                                ? " with the roles it uses from " + List.copyOf(extra.values()) : "")
                                + " is too big to ship to the workers (more than " + MAX_FILES + " files or "
                                + MAX_BYTES / (1024 * 1024) + " MiB); put the playbook in a directory of its own "
                                + "with only what it uses");
                    }
                    zip.putNextEntry(new ZipEntry(root.getKey() + "/" + dir.relativize(f).toString()
                            .replace('\\', '/')));
                    Files.copy(f, zip);
                    zip.closeEntry();
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new ClusterException("cannot read the playbook directory " + playbookDir + " or a role it uses to "
                    + "ship it: " + e.getMessage());
        }
        return bytes.toByteArray();
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).filter(p -> !dir.relativize(p).toString().startsWith(".git"))
                    .sorted().toList();
        }
    }

    /** Unpacks {@code zip} into {@code dir}; an entry that would land outside it fails the whole unpacking. */
    static void unpack(byte[] zip, Path dir) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        long total = 0;
        int count = 0;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                Path target = root.resolve(e.getName()).normalize();
                if (!target.startsWith(root) || target.equals(root)) {
                    throw new IOException("the shipped archive has an entry outside its directory, '" + e.getName()
                            + "'; refused (the coordinator never writes one)");
                }
                if (e.isDirectory()) continue;
                if (++count > MAX_FILES) throw new IOException("the shipped archive has over " + MAX_FILES + " files");
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
