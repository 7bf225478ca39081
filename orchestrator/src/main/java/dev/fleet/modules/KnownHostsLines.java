package dev.fleet.modules;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The known_hosts line handling of Ansible's {@code known_hosts} module, without a host: a key line's fields,
 * hashing its host field ({@code |1|salt|hmac}, as {@code ssh-keygen -H} writes it), deciding from
 * {@code ssh-keygen -F} output whether the key is there, and the file's new text.
 */
final class KnownHostsLines {
    private static final Pattern FOUND_LINE = Pattern.compile("found: line (\\d+)");
    private static final SecureRandom RANDOM = new SecureRandom();

    private KnownHostsLines() {}

    /** A key line's fields; {@code marker} is {@code @cert-authority}/{@code @revoked} or "". */
    record KeyLine(String marker, String host, String type, String key) {
        /** Parses "[marker] host type key [comment]"; null if there are too few fields. */
        static KeyLine parse(String line) {
            String[] f = line.strip().split("\\s+");
            int i = f.length > 0 && f[0].startsWith("@") ? 1 : 0;
            if (f.length < i + 3) return null;
            return new KeyLine(i == 1 ? f[0] : "", f[i], f[i + 1], f[i + 2]);
        }

        KeyLine withHost(String h) {
            return new KeyLine(marker, h, type, key);
        }
    }

    /**
     * What {@code ssh-keygen -F} found: whether the host is there at all, whether the key must be written (the
     * host has a different key, or none of this type) and the 1-based line of the key of the same type, or -1.
     */
    record Search(boolean found, boolean replaceOrAdd, int line) {
        static final Search ABSENT = new Search(false, false, -1);
    }

    /** The host field hashed with a fresh salt, as Ansible's {@code hash_host} does; other fields kept. */
    static String hashHost(String host, String keyLine) {
        byte[] salt = new byte[20];
        RANDOM.nextBytes(salt);
        String[] f = keyLine.strip().split("\\s+");
        int i = f[0].startsWith("@") ? 1 : 0;
        f[i] = hashedHostField(host, salt);
        return String.join(" ", f);
    }

    static String hashedHostField(String host, byte[] salt) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(salt, "HmacSHA1"));
            byte[] h = mac.doFinal(host.getBytes(StandardCharsets.UTF_8));
            return "|1|" + Base64.getEncoder().encodeToString(salt) + "|" + Base64.getEncoder().encodeToString(h);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA1 is not available", e);
        }
    }

    /**
     * Reads {@code ssh-keygen -F host} output for the given key (null: any key of the host). The first line of
     * the key's type decides: the same key means nothing to write, another key means replacing that line.
     */
    static Search search(String keygenOutput, String key) {
        if (keygenOutput.isEmpty()) return Search.ABSENT;
        if (key == null) return new Search(true, false, -1);
        KeyLine wanted = KeyLine.parse(key);
        int line = -1;
        for (String l : keygenOutput.split("\n", -1)) {
            if (l.isEmpty()) continue;
            if (l.startsWith("#")) {
                Matcher m = FOUND_LINE.matcher(l);
                if (m.find()) line = Integer.parseInt(m.group(1));
                continue;
            }
            KeyLine found = KeyLine.parse(l);
            if (found == null) continue;
            KeyLine w = wanted.host().startsWith("|1|") && found.host().startsWith("|1|")
                    ? wanted.withHost(found.host()) : wanted;
            if (w.equals(found)) return new Search(true, false, line);
            if (w.type().equals(found.type())) return new Search(true, true, line);
        }
        return new Search(true, true, -1);
    }

    /** The file's text without line {@code drop} (1-based; -1 for none) and, if given, with {@code add} at the end. */
    static String edit(String before, int drop, String add) {
        List<String> lines = new java.util.ArrayList<>(LineEdits.splitLines(before, true));
        if (drop >= 1 && drop <= lines.size()) lines.remove(drop - 1);
        if (add != null) lines.add(add);
        return String.join("", lines);
    }
}
