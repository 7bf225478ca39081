package dev.fleet.vault;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The vault's only cipher, {@code AES256}: PBKDF2-HMAC-SHA256 (10000 rounds, 32-byte random salt) derives 80 bytes
 * that split into an AES-256 key, an HMAC-SHA256 key and the initial CTR counter; the plaintext is PKCS#7-padded
 * (Ansible pads although CTR does not need it, so we must too to be byte-compatible), encrypted with AES-CTR, and
 * authenticated encrypt-then-MAC. The body is three hex lines (salt, MAC, ciphertext) hex-encoded once more.
 */
final class Aes256 {
    static final String NAME = "AES256";
    private static final int ROUNDS = 10_000;
    private static final int KEY = 32;
    private static final int IV = 16;
    private static final HexFormat HEX = HexFormat.of();

    private Aes256() {}

    /** The inner body (before the outer hex encoding): {@code hex(salt) \n hex(hmac) \n hex(ciphertext)}. */
    static byte[] encrypt(byte[] plaintext, VaultSecret secret, SecureRandom random) {
        byte[] salt = new byte[KEY];
        random.nextBytes(salt);
        try {
            Keys k = derive(secret, salt);
            byte[] ciphertext = ctr(Cipher.ENCRYPT_MODE, k, pad(plaintext));
            byte[] mac = hmac(k, ciphertext);
            String body = HEX.formatHex(salt) + "\n" + HEX.formatHex(mac) + "\n" + HEX.formatHex(ciphertext);
            return body.getBytes(StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks AES-CTR, HMAC-SHA256 or PBKDF2 (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Decrypts an inner body; null when the MAC does not match (a wrong password or tampered text: the two cannot
     * be told apart, by design). Throws for a body that is not the three hex lines at all.
     */
    static byte[] decrypt(byte[] body, VaultSecret secret) throws MalformedVault {
        String[] parts = new String(body, StandardCharsets.US_ASCII).split("\n", -1);
        if (parts.length != 3) throw new MalformedVault("the encrypted body does not have its three parts");
        byte[] salt;
        byte[] mac;
        byte[] ciphertext;
        try {
            salt = HEX.parseHex(parts[0].strip());
            mac = HEX.parseHex(parts[1].strip());
            ciphertext = HEX.parseHex(parts[2].strip());
        } catch (IllegalArgumentException e) {
            throw new MalformedVault("the encrypted body is not hexadecimal");
        }
        try {
            Keys k = derive(secret, salt);
            // constant time: a timing difference must not tell how much of a forged MAC was right
            if (!MessageDigest.isEqual(mac, hmac(k, ciphertext))) return null;
            byte[] padded = ctr(Cipher.DECRYPT_MODE, k, ciphertext);
            return unpad(padded);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks AES-CTR, HMAC-SHA256 or PBKDF2 (" + e.getMessage() + ")", e);
        }
    }

    static final class MalformedVault extends Exception {
        MalformedVault(String message) {
            super(message);
        }
    }

    private record Keys(byte[] aes, byte[] hmac, byte[] iv) {}

    private static Keys derive(VaultSecret secret, byte[] salt) throws GeneralSecurityException {
        byte[] password = secret.password();
        // PBEKeySpec takes chars; Java's PBKDF2 encodes them as UTF-8, which matches the password bytes only
        // when they are valid UTF-8. Ansible uses the raw bytes, so derive by hand for any other bytes.
        byte[] derived = pbkdf2(password, salt, ROUNDS, 2 * KEY + IV);
        Arrays.fill(password, (byte) 0);
        return new Keys(Arrays.copyOfRange(derived, 0, KEY), Arrays.copyOfRange(derived, KEY, 2 * KEY),
                Arrays.copyOfRange(derived, 2 * KEY, 2 * KEY + IV));
    }

    private static byte[] pbkdf2(byte[] password, byte[] salt, int rounds, int length) throws GeneralSecurityException {
        String asText = new String(password, StandardCharsets.UTF_8);
        if (Arrays.equals(asText.getBytes(StandardCharsets.UTF_8), password)) {
            PBEKeySpec spec = new PBEKeySpec(asText.toCharArray(), salt, rounds, length * 8);
            try {
                return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            } finally {
                spec.clearPassword();
            }
        }
        // RFC 8018 PBKDF2 over raw bytes, for passwords that are not UTF-8 text.
        Mac prf = Mac.getInstance("HmacSHA256");
        prf.init(new SecretKeySpec(password, "HmacSHA256"));
        byte[] out = new byte[length];
        for (int block = 1, done = 0; done < length; block++) {
            prf.update(salt);
            byte[] u = prf.doFinal(new byte[] {(byte) (block >>> 24), (byte) (block >>> 16), (byte) (block >>> 8),
                    (byte) block});
            byte[] t = u.clone();
            for (int i = 1; i < rounds; i++) {
                u = prf.doFinal(u);
                for (int j = 0; j < t.length; j++) t[j] ^= u[j];
            }
            int n = Math.min(t.length, length - done);
            System.arraycopy(t, 0, out, done, n);
            done += n;
        }
        return out;
    }

    private static byte[] ctr(int mode, Keys k, byte[] data) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
        c.init(mode, new SecretKeySpec(k.aes(), "AES"), new IvParameterSpec(k.iv()));
        return c.doFinal(data);
    }

    private static byte[] hmac(Keys k, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(k.hmac(), "HmacSHA256"));
        return mac.doFinal(data);
    }

    private static byte[] pad(byte[] data) {
        int n = IV - data.length % IV;
        byte[] out = Arrays.copyOf(data, data.length + n);
        Arrays.fill(out, data.length, out.length, (byte) n);
        return out;
    }

    private static byte[] unpad(byte[] data) {
        // The MAC already vouched for these bytes; a bad pad here means a different writer, so keep the bytes.
        if (data.length == 0) return data;
        int n = data[data.length - 1] & 0xff;
        if (n < 1 || n > IV || n > data.length) return data;
        for (int i = data.length - n; i < data.length; i++) if ((data[i] & 0xff) != n) return data;
        return Arrays.copyOf(data, data.length - n);
    }
}
