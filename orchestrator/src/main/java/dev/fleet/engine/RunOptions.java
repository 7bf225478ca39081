package dev.fleet.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * How to run a playbook, independent of where the options came from (CLI, HTTP, schedule).
 *
 * @param forks          how many host-tasks run at once
 * @param limit          extra host pattern intersected with every play's hosts, or null
 * @param user           login user when neither inventory nor play names one, or null for the local user
 * @param privateKey     key offered when the inventory names none, or null
 * @param connectTimeout TCP connect plus SSH handshake
 * @param taskTimeout    one task on one host; the remote command is stopped after it
 * @param extraVars      {@code -e} variables, highest precedence
 * @param check          {@code --check}: change nothing
 * @param diff           {@code --diff}: show what file modules change
 * @param tags           {@code --tags}: only tasks with these tags (empty: all)
 * @param skipTags       {@code --skip-tags}
 * @param becomePassword sudo password for {@code become}, or null to use {@code sudo -n}
 * @param become         {@code become} for tasks whose play, block and task do not say (ansible.cfg's
 *                       {@code [privilege_escalation] become}); null: false
 * @param becomeUser     likewise {@code become_user}; null: root
 * @param verbosity      how many {@code -v} were given ({@code ansible_verbosity}: debug's {@code verbosity})
 */
public record RunOptions(int forks, String limit, String user, Path privateKey, Duration connectTimeout,
        Duration taskTimeout, Map<String, Object> extraVars, boolean check, boolean diff, Set<String> tags,
        Set<String> skipTags, Secret becomePassword, Boolean become, String becomeUser, int verbosity) {

    public static final int DEFAULT_FORKS = 256;

    public RunOptions {
        if (forks < 1) throw new IllegalArgumentException("forks must be at least 1, got " + forks);
        extraVars = Map.copyOf(extraVars);
        tags = Set.copyOf(tags);
        skipTags = Set.copyOf(skipTags);
    }

    /** Without become defaults: tasks become only when their play, block or task says so. */
    public RunOptions(int forks, String limit, String user, Path privateKey, Duration connectTimeout,
            Duration taskTimeout, Map<String, Object> extraVars, boolean check, boolean diff, Set<String> tags,
            Set<String> skipTags, Secret becomePassword) {
        this(forks, limit, user, privateKey, connectTimeout, taskTimeout, extraVars, check, diff, tags, skipTags,
                becomePassword, null, null, 0);
    }

    public static RunOptions defaults() {
        return new RunOptions(DEFAULT_FORKS, null, null, null, Duration.ofSeconds(10), Duration.ofMinutes(10),
                Map.of(), false, false, Set.of(), Set.of(), null);
    }

    /** A secret that prints as stars, so it cannot leak through a log line or a record's toString. */
    public record Secret(String value) {
        @Override
        public String toString() {
            return "********";
        }
    }
}
