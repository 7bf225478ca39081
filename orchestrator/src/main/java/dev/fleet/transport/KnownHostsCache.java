package dev.fleet.transport;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

/**
 * One known_hosts file, parsed once and shared by every connection of a transport.
 *
 * <p>Why: parsing a line decodes a public key (base64 and a KeyFactory call). Each connection used to parse the
 * whole file twice, so a run over N hosts listed in the file did 2·N² key decodes: about 80,000 at 200 hosts, two
 * million at 1000, the largest single CPU cost of connecting. Now the file is stat'ed per connection and parsed
 * again only when it changed; when it only grew (accept-new appends, ours or another fleet's), only the new lines
 * are parsed.
 *
 * <p>Snapshots are never modified after they are published, so verifiers iterate them without locking.
 */
final class KnownHostsCache {

    private record Snapshot(byte[] content, FileTime modified, long size, Object fileKey, OpenSSHKnownHosts parsed) {}

    private final Path file;
    /** Not synchronized: virtual threads waiting on a monitor pin their carrier on Java 21-23. */
    private final ReentrantLock lock = new ReentrantLock();
    private Snapshot last; // guarded by lock
    private int fullParses; // guarded by lock; for tests

    KnownHostsCache(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    Path file() {
        return file;
    }

    /** The file as it is now (an empty list of entries if it does not exist). */
    OpenSSHKnownHosts current() throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return parse(new byte[0], null);
        }
        lock.lock();
        try {
            Snapshot s = last;
            if (s != null && s.modified() != null && s.size() == attrs.size()
                    && s.modified().equals(attrs.lastModifiedTime()) && Objects.equals(s.fileKey(), attrs.fileKey())) {
                return s.parsed();
            }
        } finally {
            lock.unlock();
        }
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return parse(new byte[0], null);
        }
        // Attributes read before the content: if the file changed in between, the next stat differs and the
        // content is compared again, so a snapshot never claims newer attributes than its content.
        return parse(content, attrs);
    }

    /** The given content of the file (read by the caller, e.g. under the append lock), parsed. */
    OpenSSHKnownHosts parse(byte[] content) throws IOException {
        return parse(content, null);
    }

    private OpenSSHKnownHosts parse(byte[] content, BasicFileAttributes attrs) throws IOException {
        lock.lock();
        try {
            Snapshot s = last;
            OpenSSHKnownHosts parsed;
            if (s != null && Arrays.equals(s.content(), content)) {
                parsed = s.parsed();
            } else if (s != null && grewByWholeLines(s.content(), content)) {
                int from = s.content().length;
                OpenSSHKnownHosts tail = load(new String(content, from, content.length - from, StandardCharsets.UTF_8));
                parsed = load("");
                parsed.entries().addAll(s.parsed().entries());
                parsed.entries().addAll(tail.entries());
            } else {
                parsed = load(new String(content, StandardCharsets.UTF_8));
                fullParses++;
            }
            last = new Snapshot(content, attrs == null ? null : attrs.lastModifiedTime(),
                    attrs == null ? -1 : attrs.size(), attrs == null ? null : attrs.fileKey(), parsed);
            return parsed;
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@code now} is {@code before} plus more lines (before is empty or ends with a newline). */
    private static boolean grewByWholeLines(byte[] before, byte[] now) {
        if (now.length <= before.length || (before.length > 0 && before[before.length - 1] != '\n')) {
            return false;
        }
        return Arrays.equals(before, 0, before.length, now, 0, before.length);
    }

    /** How many times the whole file was parsed (tests check that connections do not each parse it). */
    int fullParses() {
        lock.lock();
        try {
            return fullParses;
        } finally {
            lock.unlock();
        }
    }

    /** Parsed by sshj, with hashed entries made safe to share (see {@link SharedHashedEntry}). */
    private static OpenSSHKnownHosts load(String content) throws IOException {
        OpenSSHKnownHosts parsed = new OpenSSHKnownHosts(new StringReader(content));
        List<OpenSSHKnownHosts.KnownHostEntry> entries = parsed.entries();
        for (int i = 0; i < entries.size(); i++) {
            OpenSSHKnownHosts.KnownHostEntry shared = SharedHashedEntry.wrapIfHashed(entries.get(i));
            if (shared != null) entries.set(i, shared);
        }
        return parsed;
    }
}
