package dev.fleet.cluster;

import dev.fleet.vault.Vault;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * What the coordinator read its run with, besides the playbook and inventory, that shipping the run must
 * reproduce on the workers without sending a secret.
 *
 * @param rolesPath where the coordinator's parser looked for roles (the roles it used from there are shipped)
 * @param vault     the coordinator's vault: the ids it used are the ids every worker must have
 * @param revealed  every plaintext {@code vault} decrypted (its reveal listener fills it): variables holding one
 *                  travel encrypted
 */
public record RunInputs(List<Path> rolesPath, Vault vault, Set<String> revealed) {
    public RunInputs {
        rolesPath = List.copyOf(rolesPath);
    }

    /** A run read without vault secrets (fleet serve's). */
    public static RunInputs withoutVault(List<Path> rolesPath) {
        return new RunInputs(rolesPath, Vault.NONE, Set.of());
    }
}
