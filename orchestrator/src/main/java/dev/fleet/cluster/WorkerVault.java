package dev.fleet.cluster;

import dev.fleet.vault.Vault;
import dev.fleet.vault.VaultException;
import dev.fleet.vault.VaultPasswords;
import dev.fleet.vault.VaultSecret;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A worker's own vault secrets, read once when it starts from the files its config names ({@code vault_ids},
 * {@code vault_password_file}): vault passwords never travel over the bus. A coordinator names the vault ids a run
 * needs; a worker without one of them refuses the run, saying which config key to set.
 */
final class WorkerVault {
    private final List<VaultSecret> secrets;
    private final Path configFile;

    private WorkerVault(List<VaultSecret> secrets, Path configFile) {
        this.secrets = List.copyOf(secrets);
        this.configFile = configFile;
    }

    /** Reads the worker's secrets (a script is run once, now); no terminal to prompt at. */
    static WorkerVault load(ClusterConfig config) throws VaultException {
        VaultPasswords passwords = new VaultPasswords(prompt -> {
            throw new VaultException("a fleet worker cannot ask for a vault password; give a file in its config");
        });
        List<VaultSecret> out = new ArrayList<>();
        for (ClusterConfig.VaultId v : config.worker().vaultIds()) {
            out.add(passwords.load(v.id() + "@" + v.file().toAbsolutePath(), false));
        }
        return new WorkerVault(out, config.file());
    }

    /** The ids this worker has secrets for, in its config's order. */
    List<String> ids() {
        return secrets.stream().map(VaultSecret::id).toList();
    }

    /** Why this worker cannot open a run that needs {@code needed}, or null when it has them all. */
    String refusal(List<String> needed) {
        List<String> missing = needed.stream().filter(id -> !ids().contains(id)).toList();
        if (missing.isEmpty()) return null;
        String id = missing.get(0);
        String how = id.equals(VaultSecret.DEFAULT_ID)
                ? "set worker.vault_password_file: FILE (or a vault_ids entry with id: default)"
                : "add {id: " + id + ", file: FILE} to worker.vault_ids";
        return "the run needs vault id" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing.stream()
                .map(m -> "'" + m + "'").toList()) + ", for which this worker has no vault secret; " + how
                + " in " + configFile + " (FILE on this machine, holding the same password as the coordinator's "
                + "--vault-id/--vault-password-file), then restart the worker. Vault passwords never travel between "
                + "nodes";
    }

    /** A vault of this worker's secrets for one run. */
    Vault vault() {
        return new Vault(secrets, s -> {});
    }
}
