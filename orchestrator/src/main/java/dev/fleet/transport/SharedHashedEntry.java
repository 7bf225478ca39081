package dev.fleet.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

/**
 * A hashed known_hosts entry ({@code |1|salt|hash}, as written by {@code ssh-keygen -H} or {@code HashKnownHosts})
 * that any number of threads may match at once.
 *
 * <p>Why: KnownHostsCache shares one parsed file among all connections, and sshj's matcher for a hashed entry
 * keeps a single HMAC instance: two connections matching the same entry at once corrupted it ("MAC not
 * initialized"). Here each thread has its own HMAC-SHA1; key comparison and the line stay sshj's (delegated).
 */
final class SharedHashedEntry implements OpenSSHKnownHosts.KnownHostEntry {
    private static final ThreadLocal<Mac> HMAC_SHA1 = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA1");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is not available in this JDK", e);
        }
    });

    private final OpenSSHKnownHosts.KnownHostEntry entry;
    private final SecretKeySpec salt;
    private final byte[] hash;
    private final boolean certAuthority;

    private SharedHashedEntry(OpenSSHKnownHosts.KnownHostEntry entry, byte[] salt, byte[] hash, boolean ca) {
        this.entry = entry;
        this.salt = new SecretKeySpec(salt, "HmacSHA1");
        this.hash = hash;
        this.certAuthority = ca;
    }

    /** The entry wrapped if its host field is hashed; null if it is not (or is malformed: sshj's rules apply). */
    static OpenSSHKnownHosts.KnownHostEntry wrapIfHashed(OpenSSHKnownHosts.KnownHostEntry entry) {
        String line = entry.getLine();
        if (line == null) return null;
        String[] fields = line.trim().split("\\s+", 3);
        boolean marker = fields[0].startsWith("@");
        String hosts = marker ? (fields.length > 1 ? fields[1] : "") : fields[0];
        if (!hosts.startsWith("|1|")) return null;
        String[] parts = hosts.split("\\|");
        if (parts.length != 4) return null;
        try {
            Base64.Decoder b64 = Base64.getDecoder();
            return new SharedHashedEntry(entry, b64.decode(parts[2]), b64.decode(parts[3]),
                    marker && fields[0].equals("@cert-authority"));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public boolean appliesTo(String host) throws IOException {
        Mac mac = HMAC_SHA1.get();
        try {
            mac.init(salt);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot hash host name for known_hosts: " + e.getMessage(), e);
        }
        return MessageDigest.isEqual(hash, mac.doFinal(host.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public boolean appliesTo(KeyType type, String host) throws IOException {
        // As sshj's HostEntry: the same key type, or any certificate type under a @cert-authority line.
        return (entry.getType() == type || (certAuthority && type.getParent() != null)) && appliesTo(host);
    }

    @Override
    public boolean verify(PublicKey key) throws IOException {
        return entry.verify(key);
    }

    @Override
    public KeyType getType() {
        return entry.getType();
    }

    @Override
    public String getFingerprint() {
        return entry.getFingerprint();
    }

    @Override
    public String getLine() {
        return entry.getLine();
    }
}
