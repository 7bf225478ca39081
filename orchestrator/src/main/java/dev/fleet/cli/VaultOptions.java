package dev.fleet.cli;

import dev.fleet.vault.Vault;
import dev.fleet.vault.VaultException;
import dev.fleet.vault.VaultPasswords;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    boolean given() {
        return !vaultIds.isEmpty() || !passwordFiles.isEmpty() || askVaultPass;
    }

    /**
     * The secrets these options name. {@code onReveal} hears every plaintext later decrypted with them (the run's
     * redactor); {@code confirm} asks twice at a prompt, for a new password.
     */
    Vault vault(Consumer<String> onReveal, boolean confirm) throws VaultException {
        if (!given()) return Vault.NONE.alsoRevealingTo(onReveal);
        return new Vault(new VaultPasswords(prompter).load(vaultIds, passwordFiles, askVaultPass, confirm), onReveal);
    }
}
