package dev.fleet.vault;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The vault secrets of one run or command, in the order they were given, and what can be done with them. Passed
 * explicitly to whoever reads files (the YAML loader, inventory, playbook parser) rather than kept in a global, so
 * two runs in one process (fleet serve, tests) never see each other's secrets.
 *
 * <p>{@code onReveal} is told every plaintext this vault decrypts, so the caller can keep it out of output
 * (see {@code dev.fleet.result.Redactor}); the vault itself keeps nothing it decrypted.
 */
public final class Vault {
    /** No secrets: reading vaulted data fails with a message that says which option to pass. */
    public static final Vault NONE = new Vault(List.of(), s -> {});

    private final List<VaultSecret> secrets;
    private final Consumer<String> onReveal;
    /** Ids of the secrets that decrypted something, shared with the vaults made from this one (same secrets). */
    private final Set<String> idsUsed;
    private final SecureRandom random = new SecureRandom();

    public Vault(List<VaultSecret> secrets, Consumer<String> onReveal) {
        this(secrets, onReveal, Collections.synchronizedSet(new LinkedHashSet<>()));
    }

    private Vault(List<VaultSecret> secrets, Consumer<String> onReveal, Set<String> idsUsed) {
        this.secrets = List.copyOf(secrets);
        this.onReveal = Objects.requireNonNull(onReveal);
        this.idsUsed = idsUsed;
    }

    public List<VaultSecret> secrets() {
        return secrets;
    }

    public boolean hasSecrets() {
        return !secrets.isEmpty();
    }

    /** The same secrets, revealing plaintexts to {@code onReveal} as well. */
    public Vault alsoRevealingTo(Consumer<String> more) {
        return new Vault(secrets, onReveal.andThen(more), idsUsed);
    }

    /**
     * The ids of the secrets that have decrypted something through this vault (or one made from it by
     * {@link #alsoRevealingTo}), in the order first used: what another process reading the same files needs.
     */
    public List<String> idsUsed() {
        synchronized (idsUsed) {
            return List.copyOf(idsUsed);
        }
    }

    /** Tells the reveal listener about a plaintext that came out of vaulted data by another route. */
    public void reveal(String plaintext) {
        onReveal.accept(plaintext);
    }

    /** What a decryption gave, and with which vault id's secret. */
    public record Decrypted(byte[] plaintext, String vaultId) {
        public String text() {
            return new String(plaintext, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "Decrypted[vaultId=" + vaultId + ", " + plaintext.length + " bytes]";
        }
    }

    /**
     * Decrypts vault text. Secrets are tried as Ansible tries them: the one whose id the header names first, then
     * the others in the order given. {@code source} (a file name, or "-e" value) is named in every error; the
     * plaintext is passed to the reveal listener before it is returned.
     */
    public Decrypted decrypt(String vaultText, String source) throws VaultException {
        Decrypted d = decryptDocument(vaultText, source);
        onReveal.accept(d.text());
        return d;
    }

    /**
     * Like {@link #decrypt} but without revealing the plaintext as one string: for whole vaulted documents, whose
     * caller reveals the values it finds in them instead (the whole text would never match anything printed).
     */
    public Decrypted decryptDocument(String vaultText, String source) throws VaultException {
        VaultEnvelope env = VaultEnvelope.parse(vaultText, source);
        String named = env.label() == null ? "" : " (vault id '" + env.label() + "')";
        if (secrets.isEmpty()) {
            throw new VaultException(source, "attempting to decrypt" + named + " but no vault secrets found; "
                    + "pass --vault-password-file FILE, --vault-id [LABEL@]FILE or --ask-vault-pass");
        }
        List<VaultSecret> order = new ArrayList<>();
        if (env.label() != null) for (VaultSecret s : secrets) if (s.id().equals(env.label())) order.add(s);
        for (VaultSecret s : secrets) if (!order.contains(s)) order.add(s);
        for (VaultSecret s : order) {
            byte[] plain;
            try {
                plain = Aes256.decrypt(env.body(), s);
            } catch (Aes256.MalformedVault e) {
                throw new VaultException(source, e.getMessage() + named
                        + "; the file is damaged or was not written by ansible-vault or fleet vault");
            }
            if (plain != null) {
                idsUsed.add(s.id());
                return new Decrypted(plain, s.id());
            }
        }
        List<String> ids = secrets.stream().map(VaultSecret::id).distinct().toList();
        throw new VaultException(source, "decryption failed" + named + ": no vault secret could decrypt it (tried "
                + "vault id" + (ids.size() == 1 ? " " : "s ") + String.join(", ", ids)
                + "); the password is wrong or the vault text was altered");
    }

    /** Encrypts with {@code secret}, in format 1.1 for the default id and 1.2 (labelled) for any other. */
    public String encrypt(byte[] plaintext, VaultSecret secret) {
        return VaultEnvelope.forId(secret.id(), Aes256.encrypt(plaintext, secret, random)).format();
    }

    public String encrypt(String plaintext, VaultSecret secret) {
        return encrypt(plaintext.getBytes(StandardCharsets.UTF_8), secret);
    }

    /**
     * The secret to encrypt with, as ansible-vault picks it: the one named by {@code --encrypt-vault-id}, else the
     * only one given.
     */
    public VaultSecret encryptionSecret(String encryptVaultId) throws VaultException {
        if (secrets.isEmpty()) {
            throw new VaultException("a vault password must be given to encrypt: pass --vault-password-file FILE, "
                    + "--vault-id [LABEL@]FILE or --ask-vault-pass");
        }
        List<String> ids = secrets.stream().map(VaultSecret::id).distinct().toList();
        if (encryptVaultId == null) {
            if (ids.size() > 1) {
                throw new VaultException("the vault ids " + String.join(", ", ids) + " are available to encrypt; "
                        + "choose one with --encrypt-vault-id");
            }
            return secrets.get(0);
        }
        for (VaultSecret s : secrets) if (s.id().equals(encryptVaultId)) return s;
        throw new VaultException("--encrypt-vault-id " + encryptVaultId + " matches none of the vault ids given ("
                + String.join(", ", ids) + "); add --vault-id " + encryptVaultId + "@FILE");
    }

    @Override
    public String toString() {
        return "Vault" + secrets.stream().map(VaultSecret::id).toList();
    }
}
