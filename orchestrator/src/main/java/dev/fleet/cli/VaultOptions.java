package dev.fleet.cli;

import dev.fleet.vault.Vault;
import dev.fleet.vault.VaultException;
import dev.fleet.vault.VaultPasswords;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/**
 * The vault password options, as ansible-playbook and ansible-vault spell them; a picocli mixin so {@code fleet run},
 * {@code fleet inventory} and {@code fleet vault} read secrets the same way.
 */
final class VaultOptions {
    @Option(names = "--vault-id", paramLabel = "[LABEL@]SOURCE", description = "A vault identity: SOURCE is a "
            + "password file, an executable script printing the password, or 'prompt'. Repeatable; tried in order, "
            + "the one whose LABEL the vault text names first.")
    List<String> vaultIds = new ArrayList<>();

    @Option(names = {"--vault-password-file", "--vault-pass-file"}, paramLabel = "FILE",
            description = "Vault password file, or executable script printing the password (vault id 'default').")
    List<Path> passwordFiles = new ArrayList<>();

    @Option(names = {"-J", "--ask-vault-password", "--ask-vault-pass"},
            description = "Ask for the vault password on the terminal.")
    boolean askVaultPass;

    /** Asks at the terminal; tests replace it. */
    VaultPasswords.Prompter prompter = VaultPasswords.Prompter.CONSOLE;

    /** Where Ansible's ANSIBLE_VAULT_IDENTITY_LIST and ANSIBLE_VAULT_PASSWORD_FILE are read; tests replace it. */
    Map<String, String> env = System.getenv();

    /**
     * The secrets these options name, with Ansible's environment defaults: ANSIBLE_VAULT_IDENTITY_LIST (comma-
     * separated ids) before the --vault-id values, ANSIBLE_VAULT_PASSWORD_FILE after the password files.
     * {@code onReveal} hears every plaintext later decrypted with them (the run's redactor).
     */
    Vault vault(Consumer<String> onReveal) throws VaultException {
        return vault(onReveal, false, false);
    }

    /**
     * As {@link #vault(Consumer)}; {@code confirm} asks twice at a prompt (a new password), {@code autoPrompt}
     * asks at the terminal when nothing else names a secret (ansible-vault does; ansible-playbook does not).
     */
    Vault vault(Consumer<String> onReveal, boolean confirm, boolean autoPrompt) throws VaultException {
        List<String> ids = new ArrayList<>();
        for (String id : env.getOrDefault("ANSIBLE_VAULT_IDENTITY_LIST", "").split(",")) {
            if (!id.isBlank()) ids.add(id.strip());
        }
        ids.addAll(vaultIds);
        List<Path> files = new ArrayList<>(passwordFiles);
        String envFile = env.get("ANSIBLE_VAULT_PASSWORD_FILE");
        if (envFile != null && !envFile.isBlank()) files.add(Path.of(envFile.strip()));
        boolean ask = askVaultPass || (autoPrompt && ids.isEmpty() && files.isEmpty());
        if (ids.isEmpty() && files.isEmpty() && !ask) return Vault.NONE.alsoRevealingTo(onReveal);
        return new Vault(new VaultPasswords(prompter).load(ids, files, ask, confirm), onReveal);
    }
}
