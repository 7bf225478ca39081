package dev.fleet.cluster;

import dev.fleet.vault.Vault;
import dev.fleet.vault.VaultException;
import dev.fleet.vault.VaultSecret;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Keeps vaulted values vaulted on their way to the workers. The coordinator ships variables it has already read
 * (the inventory's, {@code -e @vaulted.yml}'s); a variable holding anything that came out of a vault travels as
 * {@code {"__fleet_vault": VAULT_TEXT}}, the variable's JSON encrypted again with the coordinator's secret of a
 * vault id the run needs, and the worker decrypts it with its own secret of that id. Equal values are encrypted
 * (and decrypted) once: a vault key derivation costs milliseconds, and a value may repeat on every host.
 */
final class VaultSeal {
    static final String KEY = "__fleet_vault";

    private final Set<String> revealed;
    private final Vault vault;
    private final VaultSecret secret;
    private final Map<String, String> cache = new HashMap<>();

    /**
     * {@code revealed}: every plaintext the coordinator's {@code vault} decrypted (its reveal listener's); a value
     * equal to one of them is sealed with the secret of the first vault id used.
     */
    VaultSeal(Vault vault, Set<String> revealed) {
        this.vault = vault;
        this.revealed = revealed;
        String id = vault.idsUsed().isEmpty() ? null : vault.idsUsed().get(0);
        this.secret = vault.secrets().stream().filter(s -> s.id().equals(id)).findFirst().orElse(null);
    }

    /** The vault id a worker needs to unseal, or null when nothing was decrypted. */
    String sealingId() {
        return secret == null ? null : secret.id();
    }

    /** {@code vars} with each value that holds a vaulted plaintext anywhere in it sealed. */
    Map<String, Object> seal(Map<String, Object> vars) {
        if (secret == null || revealed.isEmpty()) return vars;
        Map<String, Object> out = new LinkedHashMap<>();
        vars.forEach((k, v) -> out.put(k, holdsSecret(v) ? Map.of(KEY, sealed(v)) : v));
        return out;
    }

    private String sealed(Object value) {
        String json = Json.encode(value);
        return cache.computeIfAbsent(json, j -> vault.encrypt(j.getBytes(StandardCharsets.UTF_8), secret));
    }

    private boolean holdsSecret(Object v) {
        return switch (v) {
            case String s -> revealed.contains(s);
            case Number n -> revealed.contains(String.valueOf(n));
            case Map<?, ?> m -> m.values().stream().anyMatch(this::holdsSecret);
            case Collection<?> c -> c.stream().anyMatch(this::holdsSecret);
            case null, default -> false;
        };
    }

    /** A worker's side: decrypts sealed values in place, each distinct one once. */
    static final class Opener {
        private final Vault vault;
        private final Map<String, Object> cache = new HashMap<>();

        Opener(Vault vault) {
            this.vault = vault;
        }

        /** Replaces every sealed field of {@code vars} by its value; {@code where} names them in errors. */
        void open(JsonObject vars, String where) throws VaultException {
            for (String name : vars.fieldNames()) {
                Object v = vars.getValue(name);
                if (v instanceof JsonObject j && j.size() == 1 && j.getValue(KEY) instanceof String t) {
                    Object value = cache.get(t);
                    if (value == null) {
                        value = Json.decodeValue(vault.decryptDocument(t, where + ", variable " + name).text());
                        cache.put(t, value);
                    }
                    vars.put(name, value);
                }
            }
        }
    }
}
