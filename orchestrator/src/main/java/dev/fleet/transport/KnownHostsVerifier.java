package dev.fleet.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

/**
 * Host key verification against an OpenSSH known_hosts file, one instance per connection attempt.
 *
 * <p>Parsing and host matching (hashed {@code |1|} entries, {@code [host]:port}, wildcards, markers) is sshj's
 * {@link OpenSSHKnownHosts}; the decision and the wording of failures are ours. sshj only reports "could not verify"
 * when a verifier says no, so the reason is kept in {@link #failure()} for the transport to report as
 * {@code HOST_KEY}. Called on sshj's reader thread during key exchange; the parsed entries are shared by all
 * connections (KnownHostsCache, which makes hashed entries safe to match concurrently).
 */
final class KnownHostsVerifier implements HostKeyVerifier {

    /**
     * Serialises appends within this JVM. FileChannel.lock is per process: a second thread of the same JVM asking
     * for it would get OverlappingFileLockException instead of waiting, so threads queue here first and the file
     * lock then keeps other fleet processes out.
     */
    private static final ReentrantLock APPEND_LOCK = new ReentrantLock();

    private final KnownHostsCache known;
    private final Path file;
    private final HostKeyChecking mode;
    private final String label;
    private volatile String failure;
    private volatile boolean added;

    /** @param label how the host is named in messages, e.g. "host1 (127.0.0.11:2222)" */
    KnownHostsVerifier(KnownHostsCache known, HostKeyChecking mode, String label) {
        this.known = known;
        this.file = known.file();
        this.mode = mode;
        this.label = label;
    }

    /** Why the host key was refused, or null if it was not (or verification never ran). */
    String failure() {
        return failure;
    }

    /** Whether this connection appended the host's key to known_hosts (accept-new). */
    boolean added() {
        return added;
    }

    /**
     * Tells sshj which host key types known_hosts already has for the host, so it negotiates one of those (as OpenSSH
     * does) instead of the server's preferred type, which would look like an unknown key.
     */
    @Override
    public List<String> findExistingAlgorithms(String hostname, int port) {
        if (mode == HostKeyChecking.OFF) {
            return List.of();
        }
        try {
            return existingAlgorithms(known.current(), hostname, port);
        } catch (IOException e) {
            return List.of(); // verify() reports the unreadable file
        }
    }

    @Override
    public boolean verify(String hostname, int port, PublicKey key) {
        if (mode == HostKeyChecking.OFF) {
            return true;
        }
        try {
            Verdict verdict = check(known.current(), hostname, port, key);
            if (verdict.matches()) {
                return true;
            }
            if (!verdict.expected().isEmpty()) {
                failure = changedMessage(hostname, port, key, verdict.expected());
                return false;
            }
            if (mode == HostKeyChecking.STRICT) {
                failure = unknownMessage(hostname, port, key);
                return false;
            }
            return appendIfStillUnknown(hostname, port, key);
        } catch (IOException | RuntimeException e) {
            failure = "cannot verify the host key of " + label + ": known_hosts file " + file + " could not be "
                    + (mode == HostKeyChecking.ACCEPT_NEW ? "read or updated" : "read") + ": " + e;
            return false;
        }
    }

    /** Either the key matches an entry, or the keys known for the host (empty = host unknown). */
    private record Verdict(boolean matches, List<String> expected) {}

    /** Same rules as {@link OpenSSHKnownHosts#verify}: only entries of the offered key type count. */
    private static Verdict check(OpenSSHKnownHosts known, String hostname, int port, PublicKey key) throws IOException {
        KeyType type = KeyType.fromKey(key);
        String name = SshKeyFormat.knownHostsName(hostname, port);
        List<String> expected = new ArrayList<>();
        for (OpenSSHKnownHosts.KnownHostEntry entry : known.entries()) {
            if (entry.appliesTo(type, name)) {
                if (entry.verify(key)) {
                    return new Verdict(true, List.of());
                }
                expected.add(describeEntry(entry));
            }
        }
        return new Verdict(false, expected);
    }

    /**
     * Like {@link OpenSSHKnownHosts#findExistingAlgorithms}: the key types known_hosts has for the host, every
     * certificate type for a matching {@code @cert-authority} line. Ours because sshj's recognises CA lines by
     * its own entry class, which a {@link SharedHashedEntry} is not.
     */
    static List<String> existingAlgorithms(OpenSSHKnownHosts known, String hostname, int port) {
        String name = SshKeyFormat.knownHostsName(hostname, port);
        List<String> types = new ArrayList<>();
        for (OpenSSHKnownHosts.KnownHostEntry entry : known.entries()) {
            try {
                if (!entry.appliesTo(name)) continue;
            } catch (IOException e) {
                continue; // an entry sshj cannot match (as sshj: skipped); verify() reports real trouble
            }
            if (entry.getLine().startsWith("@cert-authority")) {
                for (KeyType candidate : KeyType.values()) {
                    if (candidate.getParent() != null) types.add(candidate.toString());
                }
            } else {
                types.add(entry.getType().toString());
            }
        }
        return types;
    }

    private static String describeEntry(OpenSSHKnownHosts.KnownHostEntry entry) {
        // getLine() gives "hosts type base64 [comment]"; fingerprint the base64 blob the way OpenSSH does.
        String[] parts = entry.getLine().trim().split("\\s+");
        for (int i = 0; i + 1 < parts.length; i++) {
            if (parts[i].equals(entry.getType().toString())) {
                try {
                    byte[] blob = java.util.Base64.getDecoder().decode(parts[i + 1]);
                    String revoked = parts[0].equals("@revoked") ? " (marked @revoked)" : "";
                    return entry.getType() + " " + SshKeyFormat.fingerprint(blob) + revoked;
                } catch (IllegalArgumentException e) {
                    break;
                }
            }
        }
        return entry.getType().toString();
    }

    /**
     * Appends the key under the JVM lock and the file lock, re-checking the file first: another thread or fleet
     * process may have added the same host meanwhile (then nothing is written), or a different key for it (then this
     * key is refused like a changed one).
     */
    private boolean appendIfStillUnknown(String hostname, int port, PublicKey key) throws IOException {
        APPEND_LOCK.lock();
        try {
            createParent();
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
                    FileLock ignored = channel.lock()) {
                byte[] existing = read(channel);
                String content = new String(existing, StandardCharsets.UTF_8);
                Verdict verdict = check(known.parse(existing), hostname, port, key);
                if (verdict.matches()) {
                    return true;
                }
                if (!verdict.expected().isEmpty()) {
                    failure = changedMessage(hostname, port, key, verdict.expected());
                    return false;
                }
                String line = SshKeyFormat.knownHostsLine(hostname, port, key) + "\n";
                if (!content.isEmpty() && !content.endsWith("\n")) {
                    line = "\n" + line;
                }
                ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
                long position = channel.size();
                while (bytes.hasRemaining()) {
                    position += channel.write(bytes, position);
                }
                channel.force(false);
                added = true;
                return true;
            }
        } finally {
            APPEND_LOCK.unlock();
        }
    }

    private void createParent() throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null || Files.isDirectory(parent)) {
            return;
        }
        try {
            // ~/.ssh must not be group/world writable or OpenSSH itself starts refusing it.
            Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(parent);
        } catch (FileAlreadyExistsException e) {
            // Created concurrently: fine.
        }
    }

    private static byte[] read(FileChannel channel) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8, channel.size()));
        long position = 0;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, position);
            if (n < 0) {
                break;
            }
            position += n;
        }
        return java.util.Arrays.copyOf(buf.array(), buf.position());
    }

    private String changedMessage(String hostname, int port, PublicKey key, List<String> expected) {
        String name = SshKeyFormat.knownHostsName(hostname, port);
        return "host key for " + label + " does not match known_hosts (" + file + "): expected "
                + String.join(" or ", expected) + ", got " + SshKeyFormat.describe(key)
                + "; this can mean the host was reinstalled or someone is intercepting the connection. "
                + "If the host was reinstalled, remove the old entry with: ssh-keygen -R '" + name + "' -f " + file;
    }

    private String unknownMessage(String hostname, int port, PublicKey key) {
        String keyscan = "ssh-keyscan " + (port == 22 ? "" : "-p " + port + " ") + hostname + " >> " + file;
        return "host key for " + label + " is not in known_hosts (" + file + "); the host offered "
                + SshKeyFormat.describe(key) + ". Add it (" + keyscan
                + ") or use --host-key-checking=accept-new";
    }
}
