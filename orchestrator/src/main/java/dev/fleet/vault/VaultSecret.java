package dev.fleet.vault;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One vault password with its vault id ({@code default} when none was given), as {@code --vault-id id@source}
 * names it. Not a record: a record's {@code toString}, {@code equals} and accessor would expose or mishandle the
 * password bytes; here {@code toString} shows the id only and {@link #password()} hands out a copy.
 */
public final class VaultSecret {
    /** Ansible's id for a secret given without a label ({@code --vault-password-file}, {@code --ask-vault-pass}). */
    public static final String DEFAULT_ID = "default";

    private final String id;
    private final byte[] password;

    public VaultSecret(String id, byte[] password) {
        if (id == null || id.isEmpty()) throw new IllegalArgumentException("a vault id must not be empty");
        if (id.contains(";") || id.contains("\n")) {
            throw new IllegalArgumentException("vault id '" + id + "' must not contain ';' or a line break");
        }
        if (password == null || password.length == 0) {
            throw new IllegalArgumentException("the vault password for vault id '" + id + "' is empty");
        }
        this.id = id;
        this.password = password.clone();
    }

    public static VaultSecret of(String id, String password) {
        return new VaultSecret(id, password.getBytes(StandardCharsets.UTF_8));
    }

    public String id() {
        return id;
    }

    /** A copy of the password bytes, for key derivation. */
    byte[] password() {
        return password.clone();
    }

    @Override
    public String toString() {
        return "VaultSecret[id=" + id + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VaultSecret s && s.id.equals(id) && Arrays.equals(s.password, password);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }
}
