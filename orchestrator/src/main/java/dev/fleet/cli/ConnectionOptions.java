package dev.fleet.cli;

import dev.fleet.config.AnsibleConfig;
import dev.fleet.config.ConfigException;
import dev.fleet.engine.RunOptions;
import dev.fleet.transport.HostKeyChecking;
import dev.fleet.transport.SshSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options that say which hosts and how to reach them, shared by {@code fleet run} and {@code fleet doctor} so
 * that the doctor connects exactly as a run does. {@link #resolve} fills in ansible.cfg's defaults and checks them.
 */
final class ConnectionOptions {
    @Option(names = {"-i", "--inventory"}, paramLabel = "SOURCE",
            description = "Ansible INI or YAML inventory file, directory, executable script, or a comma-separated "
                    + "host list ('a,b,'); repeat to merge several (default: ansible.cfg's inventory or "
                    + "$ANSIBLE_INVENTORY).")
    List<String> inventory;

    @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN", description = "Only hosts matching this pattern.")
    String limit;

    @Option(names = {"-f", "--forks"}, paramLabel = "N",
            description = "Host-tasks worked on at once (default: ansible.cfg's forks, else "
                    + RunOptions.DEFAULT_FORKS + ").")
    Integer forks;

    @Option(names = {"-u", "--user"}, paramLabel = "USER",
            description = "Login user when the inventory and play name none (default: your user).")
    String user;

    @Option(names = {"--private-key", "--key-file"}, paramLabel = "FILE",
            description = "Private key to offer when the inventory names none.")
    Path privateKey;

    @Option(names = "--known-hosts", paramLabel = "FILE", description = "OpenSSH known_hosts file "
            + "(default: ~/.ssh/known_hosts).")
    Path knownHosts;

    @Option(names = "--host-key-checking", paramLabel = "MODE",
            description = "strict (default), accept-new or off (ansible.cfg's host_key_checking = False: off).")
    String hostKeyChecking;

    @Option(names = {"-T", "--connect-timeout"}, paramLabel = "SECONDS",
            description = "TCP connect and SSH handshake timeout (default: ansible.cfg's timeout, else 10).")
    Double connectTimeout;

    @Option(names = "--connect-retries", paramLabel = "N", defaultValue = "" + SshSettings.DEFAULT_CONNECT_RETRIES,
            description = "Retries of a connect that failed transiently (refused, reset, closed during the handshake), "
                    + "with exponential backoff from 0.5s; never for timeouts, host key or login failures "
                    + "(default: ${DEFAULT-VALUE}).")
    int connectRetries;

    /** Set by {@link #resolve}. */
    HostKeyChecking checking;
    Duration connect;

    /**
     * Fills in ansible.cfg's defaults and checks every value; an IllegalArgumentException or ConfigException says
     * what is wrong.
     */
    void resolve(AnsibleConfig config) throws ConfigException {
        if (inventory == null || inventory.isEmpty()) inventory = config.inventory();
        if (inventory.isEmpty()) {
            throw new IllegalArgumentException("no inventory: pass -i FILE, or set 'inventory' in ansible.cfg's "
                    + "[defaults] or $ANSIBLE_INVENTORY");
        }
        if (forks == null) forks = config.forks().orElse(RunOptions.DEFAULT_FORKS);
        if (connectTimeout == null) connectTimeout = config.timeout().map(Integer::doubleValue).orElse(10.0);
        if (user == null) user = config.remoteUser().orElse(null);
        if (privateKey == null) privateKey = config.privateKeyFile().orElse(null);
        if (hostKeyChecking == null) {
            hostKeyChecking = config.hostKeyChecking().map(on -> on ? "strict" : "off").orElse("strict");
        }
        checking = HostKeyChecking.parse(hostKeyChecking);
        connect = seconds("--connect-timeout", connectTimeout);
        if (forks < 1) throw new IllegalArgumentException("--forks must be at least 1");
        if (connectRetries < 0 || connectRetries > 100) {
            throw new IllegalArgumentException("--connect-retries must be 0..100, got " + connectRetries);
        }
    }

    /** The SSH settings these options give, with {@code taskTimeout} as the command timeout. */
    SshSettings sshSettings(Duration taskTimeout) {
        SshSettings ssh = SshSettings.defaults().withHostKeyChecking(checking).withCommandTimeout(taskTimeout)
                .withConnectRetries(connectRetries, SshSettings.DEFAULT_CONNECT_BACKOFF);
        return knownHosts != null ? ssh.withKnownHosts(knownHosts) : ssh;
    }

    static Duration seconds(String option, double value) {
        if (!(value > 0) || value > 86400 * 7) {
            throw new IllegalArgumentException(option + " must be a positive number of seconds, got " + value);
        }
        return Duration.ofMillis((long) (value * 1000));
    }
}
