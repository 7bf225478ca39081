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
 * @param connectRetries  how many times a connect that failed transiently (refused, reset, or closed before or during
 *                        the key exchange) is tried again; 0 = never. Timeouts, host key and authentication failures
 *                        are never retried.
 * @param connectBackoff  wait before the first retry; doubled for each further one, with random jitter
 */
public record SshSettings(Path knownHosts, HostKeyChecking hostKeyChecking, List<Path> defaultKeys, boolean useAgent,
        Duration commandTimeout, int connectRetries, Duration connectBackoff) {

    public static final int DEFAULT_CONNECT_RETRIES = 2;
    public static final Duration DEFAULT_CONNECT_BACKOFF = Duration.ofMillis(500);
    /** No single wait between attempts is longer than this, whatever the base and attempt number. */
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    public SshSettings {
        Objects.requireNonNull(knownHosts, "knownHosts");
        Objects.requireNonNull(hostKeyChecking, "hostKeyChecking");
        defaultKeys = List.copyOf(defaultKeys);
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        if (commandTimeout.isNegative() || commandTimeout.isZero()) {
            throw new IllegalArgumentException("commandTimeout must be positive, got " + commandTimeout);
        }
        if (connectRetries < 0 || connectRetries > 100) {
            throw new IllegalArgumentException("connectRetries must be 0..100, got " + connectRetries);
        }
        Objects.requireNonNull(connectBackoff, "connectBackoff");
        if (connectBackoff.isNegative()) {
            throw new IllegalArgumentException("connectBackoff must not be negative, got " + connectBackoff);
        }
    }

    /** With the default retries ({@value #DEFAULT_CONNECT_RETRIES}, 500 ms backoff). */
    public SshSettings(Path knownHosts, HostKeyChecking hostKeyChecking, List<Path> defaultKeys, boolean useAgent,
            Duration commandTimeout) {
        this(knownHosts, hostKeyChecking, defaultKeys, useAgent, commandTimeout, DEFAULT_CONNECT_RETRIES,
                DEFAULT_CONNECT_BACKOFF);
    }

    /**
     * The wait before retry number {@code retry} (1-based): {@code backoff * 2^(retry-1)}, capped, then a random
     * point in its upper half, so hosts that failed together do not all come back at the same instant.
     */
    Duration backoffBefore(int retry, java.util.random.RandomGenerator random) {
        long base = connectBackoff.toMillis();
        if (base <= 0) return Duration.ZERO;
        long full = Math.min(MAX_BACKOFF.toMillis(), base << Math.min(20, Math.max(0, retry - 1)));
        long half = full / 2;
        return Duration.ofMillis(half + (half > 0 ? random.nextLong(full - half + 1) : full));
    }

    /** Longest a connect can take with its retries: every attempt up to the timeout, plus every backoff. */
    public Duration connectBudget(Duration connectTimeout) {
        Duration total = connectTimeout.multipliedBy(connectRetries + 1L);
        long base = connectBackoff.toMillis();
        for (int i = 1; i <= connectRetries && base > 0; i++) {
            total = total.plusMillis(Math.min(MAX_BACKOFF.toMillis(), base << Math.min(20, i - 1)));
        }
        return total;
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
        return new SshSettings(knownHosts, mode, defaultKeys, useAgent, commandTimeout, connectRetries,
                connectBackoff);
    }

    public SshSettings withKnownHosts(Path file) {
        return new SshSettings(file, hostKeyChecking, defaultKeys, useAgent, commandTimeout, connectRetries,
                connectBackoff);
    }

    public SshSettings withCommandTimeout(Duration timeout) {
        return new SshSettings(knownHosts, hostKeyChecking, defaultKeys, useAgent, timeout, connectRetries,
                connectBackoff);
    }

    /** {@code key} offered before the default keys. */
    public SshSettings withFirstKey(Path key) {
        List<Path> keys = new ArrayList<>();
        keys.add(key);
        keys.addAll(defaultKeys);
        return new SshSettings(knownHosts, hostKeyChecking, keys, useAgent, commandTimeout, connectRetries,
                connectBackoff);
    }

    public SshSettings withConnectRetries(int retries, Duration backoff) {
        return new SshSettings(knownHosts, hostKeyChecking, defaultKeys, useAgent, commandTimeout, retries, backoff);
    }
}
