package dev.fleet.transport;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;

/** Renders public keys the way OpenSSH prints them, so messages can be compared with ssh-keygen -l output. */
final class SshKeyFormat {
    private SshKeyFormat() {}

    /** The SSH wire encoding of a public key ("key blob"). */
    static byte[] blob(PublicKey key) {
        return new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
    }

    /** "ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa". */
    static String type(PublicKey key) {
        return KeyType.fromKey(key).toString();
    }

    /** "SHA256:base64" as printed by {@code ssh-keygen -l} and OpenSSH's host key warnings. */
    static String fingerprint(PublicKey key) {
        return fingerprint(blob(key));
    }

    static String fingerprint(byte[] blob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }

    /** "ssh-ed25519 SHA256:..." */
    static String describe(PublicKey key) {
        return type(key) + " " + fingerprint(key);
    }

    /** The host pattern OpenSSH uses in known_hosts: the bare name on port 22, "[name]:port" otherwise. */
    static String knownHostsName(String address, int port) {
        String lower = address.toLowerCase(java.util.Locale.ROOT);
        return port == 22 ? lower : "[" + lower + "]:" + port;
    }

    /** One known_hosts line, unhashed so users can read and edit it. */
    static String knownHostsLine(String address, int port, PublicKey key) {
        return knownHostsName(address, port) + " " + type(key) + " " + Base64.getEncoder().encodeToString(blob(key));
    }
}
