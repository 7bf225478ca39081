package dev.fleet.vault;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The text form of vaulted data: a header line {@code $ANSIBLE_VAULT;1.1;AES256} (or
 * {@code $ANSIBLE_VAULT;1.2;AES256;label} when encrypted with a vault id other than {@code default}), then the
 * hex-encoded body in lines of 80 characters, ending with a newline.
 *
 * @param version  {@code 1.1} or {@code 1.2} (1.0 is read too: it has no label either)
 * @param cipher   always {@code AES256} today
 * @param label    the vault id named in a 1.2 header, else null
 * @param body     the inner body, hex-decoded once
 */
public record VaultEnvelope(String version, String cipher, String label, byte[] body) {
    public static final String MAGIC = "$ANSIBLE_VAULT;";
    private static final int LINE = 80;

    /** Whether {@code text} is vault text: it starts with the magic header (leading whitespace allowed). */
    public static boolean isVaulted(String text) {
        return text != null && text.stripLeading().startsWith(MAGIC);
    }

    public static boolean isVaulted(byte[] data) {
        return isVaulted(new String(data, 0, Math.min(data.length, 64), StandardCharsets.US_ASCII));
    }

    /** Parses vault text; {@code source} names the file (or value) in the error. */
    public static VaultEnvelope parse(String text, String source) throws VaultException {
        String t = text.strip();
        if (!t.startsWith(MAGIC)) {
            throw new VaultException(source, "not vault-encrypted (it does not start with " + MAGIC + ")");
        }
        int nl = t.indexOf('\n');
        String header = (nl < 0 ? t : t.substring(0, nl)).strip();
        String[] h = header.split(";", -1);
        if (h.length < 3) throw new VaultException(source, "malformed vault header; expected " + MAGIC
                + "1.1;AES256 or " + MAGIC + "1.2;AES256;<vault-id>");
        String version = h[1].strip();
        String cipher = h[2].strip();
        String label = null;
        if (version.equals("1.2")) {
            if (h.length < 4 || h[3].strip().isEmpty()) {
                throw new VaultException(source, "vault format 1.2 header names no vault id");
            }
            label = h[3].strip();
        } else if (!version.equals("1.1") && !version.equals("1.0")) {
            throw new VaultException(source, "unsupported vault format version '" + version
                    + "'; fleet reads 1.0, 1.1 and 1.2");
        }
        if (!cipher.equals(Aes256.NAME)) {
            throw new VaultException(source, "unsupported vault cipher '" + cipher + "'; only AES256 is known");
        }
        StringBuilder hex = new StringBuilder();
        if (nl >= 0) for (String line : t.substring(nl + 1).split("\n")) hex.append(line.strip());
        byte[] body;
        try {
            body = HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw new VaultException(source, "vault data is not hexadecimal; the file is damaged or was not "
                    + "written by ansible-vault or fleet vault");
        }
        if (body.length == 0) throw new VaultException(source, "vault header without encrypted data");
        return new VaultEnvelope(version, cipher, label, body);
    }

    /** The text form, byte for byte as ansible-vault writes it. */
    public String format() {
        StringBuilder sb = new StringBuilder(MAGIC).append(version).append(';').append(cipher);
        if (label != null) sb.append(';').append(label);
        sb.append('\n');
        String hex = HexFormat.of().formatHex(body);
        for (int i = 0; i < hex.length(); i += LINE) sb.append(hex, i, Math.min(hex.length(), i + LINE)).append('\n');
        return sb.toString();
    }

    /** The envelope for a body encrypted with the secret of vault id {@code id}. */
    static VaultEnvelope forId(String id, byte[] body) {
        boolean labelled = id != null && !id.equals(VaultSecret.DEFAULT_ID);
        return new VaultEnvelope(labelled ? "1.2" : "1.1", Aes256.NAME, labelled ? id : null, body);
    }

    @Override
    public String toString() {
        return "VaultEnvelope[" + version + ";" + cipher + (label == null ? "" : ";" + label) + "]";
    }
}
