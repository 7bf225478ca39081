package dev.fleet.template;

import static dev.fleet.template.Args.arg;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** Digests and UUIDs: {@code hash}, {@code checksum}, {@code md5}, {@code sha1}, {@code to_uuid}. */
final class HashFilters {
    private HashFilters() {}

    /** Ansible's namespace for to_uuid, so the same name gives the same UUID as ansible does. */
    private static final UUID ANSIBLE_NAMESPACE = UUID.fromString("361E6D51-FAEC-444A-9079-341386DA8E2E");

    /** {@code hash(hashtype='sha1')}: the hex digest of the value's UTF-8 text (Python's hashlib names). */
    static Object hash(Object v, Object[] a, Map<String, Object> kw) {
        return hex(Py.str(arg(a, kw, 0, "hashtype", "sha1")), Py.str(v));
    }

    static String hex(String algorithm, String text) {
        return HexFormat.of().formatHex(digest(algorithm, text.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] digest(String algorithm, byte[] data) {
        String java = switch (algorithm.toLowerCase(Locale.ROOT)) {
            case "md5" -> "MD5";
            case "sha1" -> "SHA-1";
            case "sha224" -> "SHA-224";
            case "sha256" -> "SHA-256";
            case "sha384" -> "SHA-384";
            case "sha512" -> "SHA-512";
            case "sha3_256" -> "SHA3-256";
            case "sha3_512" -> "SHA3-512";
            default -> throw new FilterFailure("unsupported hash type '" + algorithm
                    + "'; use md5, sha1, sha224, sha256, sha384, sha512, sha3_256 or sha3_512");
        };
        try {
            return MessageDigest.getInstance(java).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new FilterFailure("hash type '" + algorithm + "' is not available on this JVM");
        }
    }

    /** {@code to_uuid(namespace=...)}: a name-based (version 5) UUID, as Python's uuid.uuid5. */
    static Object toUuid(Object v, Object[] a, Map<String, Object> kw) {
        Object ns = arg(a, kw, 0, "namespace", null);
        UUID namespace;
        try {
            namespace = ns == null ? ANSIBLE_NAMESPACE : UUID.fromString(Py.str(ns));
        } catch (IllegalArgumentException e) {
            throw new FilterFailure("to_uuid: namespace '" + Py.str(ns) + "' is not a UUID");
        }
        byte[] name = Py.str(v).getBytes(StandardCharsets.UTF_8);
        byte[] in = ByteBuffer.allocate(16 + name.length).putLong(namespace.getMostSignificantBits())
                .putLong(namespace.getLeastSignificantBits()).put(name).array();
        byte[] h = digest("sha1", in);
        h[6] = (byte) ((h[6] & 0x0f) | 0x50); // version 5
        h[8] = (byte) ((h[8] & 0x3f) | 0x80); // RFC 4122 variant
        ByteBuffer b = ByteBuffer.wrap(h, 0, 16);
        return new UUID(b.getLong(), b.getLong()).toString();
    }
}
