package dev.fleet.template;

import static dev.fleet.template.Args.arg;
import static dev.fleet.template.Args.intArg;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Map;

/**
 * {@code password_hash('sha512', salt=None, rounds=656000)}: the SHA-512 based crypt(3) scheme ("$6$"), as
 * /etc/shadow stores it. Java has no crypt(3), so this follows the scheme's public specification (Ulrich
 * Drepper, "Unix crypt using SHA-256 and SHA-512"). Ansible always writes the rounds, 656000 by default.
 */
final class Sha512Crypt {
    private Sha512Crypt() {}

    private static final String ALPHABET = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    static Object passwordHash(Object v, Object[] a, Map<String, Object> kw) {
        String scheme = Py.str(arg(a, kw, 0, "hashtype", "sha512")).toLowerCase(Locale.ROOT);
        if (!scheme.equals("sha512") && !scheme.equals("sha512_crypt")) {
            throw new FilterFailure("password_hash: only the 'sha512' scheme is supported, not '" + scheme + "'");
        }
        Object saltArg = arg(a, kw, 1, "salt", null);
        String salt = saltArg == null ? randomSalt() : Py.str(saltArg);
        Object roundsArg = arg(a, kw, 2, "rounds", null);
        int rounds = roundsArg == null ? 656_000 : intArg(roundsArg);
        if (rounds < 1000 || rounds > 999_999_999)
                throw new FilterFailure("password_hash: rounds must be 1000..999999999");
        if (salt.length() > 16 || !salt.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0)) {
            throw new FilterFailure("password_hash: a salt is at most 16 characters of [./0-9A-Za-z]");
        }
        String prefix = rounds == 5000 ? "$6$" : "$6$rounds=" + rounds + "$"; // crypt(3) leaves out its default
        return prefix + salt + "$" + hash(Py.str(v), salt, rounds);
    }

    private static String randomSalt() {
        StringBuilder sb = new StringBuilder(16);
        for (int i = 0; i < 16; i++) sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        return sb.toString();
    }

    /** The 86-character hash part for a password, salt and round count. */
    static String hash(String password, String salt, int rounds) {
        byte[] p = password.getBytes(StandardCharsets.UTF_8), s = salt.getBytes(StandardCharsets.UTF_8);
        MessageDigest md = sha512();

        md.update(p);
        md.update(s);
        md.update(p);
        byte[] b = md.digest();

        md.update(p);
        md.update(s);
        int n;
        for (n = p.length; n > 64; n -= 64) md.update(b, 0, 64);
        md.update(b, 0, n);
        for (n = p.length; n > 0; n >>= 1) {
            if ((n & 1) != 0) md.update(b);
            else md.update(p);
        }
        byte[] acc = md.digest();

        for (int i = 0; i < p.length; i++) md.update(p);
        byte[] pSeq = repeat(md.digest(), p.length);
        for (int i = 0; i < 16 + (acc[0] & 0xff); i++) md.update(s);
        byte[] sSeq = repeat(md.digest(), s.length);

        for (int i = 0; i < rounds; i++) {
            md.update((i & 1) != 0 ? pSeq : acc);
            if (i % 3 != 0) md.update(sSeq);
            if (i % 7 != 0) md.update(pSeq);
            md.update((i & 1) != 0 ? acc : pSeq);
            acc = md.digest();
        }

        StringBuilder out = new StringBuilder(86);
        for (int i = 0; i < 21; i++) {
            int x = acc[i] & 0xff, y = acc[i + 21] & 0xff, z = acc[i + 42] & 0xff;
            switch (i % 3) { // the specification's byte order rotates through each group of three
                case 0 -> encode(out, x, y, z, 4);
                case 1 -> encode(out, y, z, x, 4);
                default -> encode(out, z, x, y, 4);
            }
        }
        encode(out, 0, 0, acc[63] & 0xff, 2);
        return out.toString();
    }

    private static byte[] repeat(byte[] digest, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) out[i] = digest[i % 64];
        return out;
    }

    private static void encode(StringBuilder out, int b2, int b1, int b0, int chars) {
        int w = (b2 << 16) | (b1 << 8) | b0;
        for (int i = 0; i < chars; i++) {
            out.append(ALPHABET.charAt(w & 0x3f));
            w >>>= 6;
        }
    }

    private static MessageDigest sha512() {
        try {
            return MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 is missing from this JVM", e);
        }
    }
}
