package dev.fleet.transport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Client-side SSH settings shared by all hosts of a run.
 *
 * @param knownHosts      OpenSSH known_hosts file used to verify (and under accept-new, record) host keys
 * @param hostKeyChecking what to do with unknown and changed host keys
 * @param defaultKeys     private keys offered after the host's own keys (ConnectionSpec#privateKeys)
 * @param useAgent        whether to offer the keys of the ssh-agent at {@code SSH_AUTH_SOCK} last
 * @param commandTimeout  timeout for {@link HostSession#exec} calls that pass {@code null}
 */
public record SshSettings(Path knownHosts, HostKeyChecking hostKeyChecking, List<Path> defaultKeys, boolean useAgent,
        Duration commandTimeout) {

    public SshSettings {
        Objects.requireNonNull(knownHosts, "knownHosts");
        Objects.requireNonNull(hostKeyChecking, "hostKeyChecking");
        defaultKeys = List.copyOf(defaultKeys);
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        if (commandTimeout.isNegative() || commandTimeout.isZero()) {
            throw new IllegalArgumentException("commandTimeout must be positive, got " + commandTimeout);
        }
    }

    /**
     * What {@code ssh} would use: {@code ~/.ssh/known_hosts}, strict checking, the existing ones of
     * {@code ~/.ssh/id_ed25519}, {@code id_ecdsa}, {@code id_rsa} (in that order), the agent if {@code SSH_AUTH_SOCK}
     * is set, and a one-hour command timeout (a safety net against hung commands, not a performance budget).
     */
    public static SshSettings defaults() {
        Path ssh = Path.of(System.getProperty("user.home"), ".ssh");
        List<Path> keys = new ArrayList<>();
        for (String name : List.of("id_ed25519", "id_ecdsa", "id_rsa")) {
            Path key = ssh.resolve(name);
            if (Files.isRegularFile(key)) {
                keys.add(key);
            }
        }
        String agent = System.getenv("SSH_AUTH_SOCK");
        return new SshSettings(ssh.resolve("known_hosts"), HostKeyChecking.STRICT, keys,
                agent != null && !agent.isBlank(), Duration.ofHours(1));
    }

    public SshSettings withHostKeyChecking(HostKeyChecking mode) {
        return new SshSettings(knownHosts, mode, defaultKeys, useAgent, commandTimeout);
    }

    public SshSettings withKnownHosts(Path file) {
        return new SshSettings(file, hostKeyChecking, defaultKeys, useAgent, commandTimeout);
    }
}
