package dev.fleet.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * An {@code ansible.cfg}, found in Ansible's order ({@code $ANSIBLE_CONFIG}, {@code ./ansible.cfg},
 * {@code ~/.ansible.cfg}, {@code /etc/ansible/ansible.cfg}; the first that exists is the only one read), with
 * Ansible's {@code ANSIBLE_*} environment variables over it. Only the settings fleet has are read; {@link #ignored}
 * lists the others so the user is told once.
 *
 * @param file     the file read, or null when there is none
 * @param sections {@code section -> key -> value}, as written
 * @param env      the environment the {@code ANSIBLE_*} overrides come from
 */
public record AnsibleConfig(Path file, Map<String, Map<String, String>> sections, Map<String, String> env) {

    /** One setting fleet uses: where it is in the file, and the environment variable that overrides it. */
    private record Setting(String section, String key, String envVar) {}

    private static final Setting INVENTORY = new Setting("defaults", "inventory", "ANSIBLE_INVENTORY");
    private static final Setting REMOTE_USER = new Setting("defaults", "remote_user", "ANSIBLE_REMOTE_USER");
    private static final Setting PRIVATE_KEY = new Setting("defaults", "private_key_file", "ANSIBLE_PRIVATE_KEY_FILE");
    private static final Setting FORKS = new Setting("defaults", "forks", "ANSIBLE_FORKS");
    private static final Setting TIMEOUT = new Setting("defaults", "timeout", "ANSIBLE_TIMEOUT");
    private static final Setting HOST_KEY_CHECKING =
            new Setting("defaults", "host_key_checking", "ANSIBLE_HOST_KEY_CHECKING");
    private static final Setting ROLES_PATH = new Setting("defaults", "roles_path", "ANSIBLE_ROLES_PATH");
    private static final Setting VAULT_PASSWORD_FILE =
            new Setting("defaults", "vault_password_file", "ANSIBLE_VAULT_PASSWORD_FILE");
    private static final Setting VAULT_IDENTITY_LIST =
            new Setting("defaults", "vault_identity_list", "ANSIBLE_VAULT_IDENTITY_LIST");
    private static final Setting BECOME = new Setting("privilege_escalation", "become", "ANSIBLE_BECOME");
    private static final Setting BECOME_USER =
            new Setting("privilege_escalation", "become_user", "ANSIBLE_BECOME_USER");
    private static final Setting BECOME_METHOD =
            new Setting("privilege_escalation", "become_method", "ANSIBLE_BECOME_METHOD");

    private static final List<Setting> USED = List.of(INVENTORY, REMOTE_USER, PRIVATE_KEY, FORKS, TIMEOUT,
            HOST_KEY_CHECKING, ROLES_PATH, VAULT_PASSWORD_FILE, VAULT_IDENTITY_LIST, BECOME, BECOME_USER,
            BECOME_METHOD);

    /** No file, no environment: every setting at fleet's default. */
    public static final AnsibleConfig NONE = new AnsibleConfig(null, Map.of(), Map.of());

    /** Finds and reads the config the way ansible-playbook does, from {@code cwd} and {@code env}. */
    public static AnsibleConfig load(Map<String, String> env, Path cwd) throws ConfigException {
        List<Path> candidates = new ArrayList<>();
        String explicit = env.get("ANSIBLE_CONFIG");
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(expandHome(explicit.strip(), env));
            candidates.add(Files.isDirectory(p) ? p.resolve("ansible.cfg") : p);
        }
        candidates.add(cwd.resolve("ansible.cfg"));
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        candidates.add(Path.of(home, ".ansible.cfg"));
        candidates.add(Path.of("/etc/ansible/ansible.cfg"));
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) return new AnsibleConfig(p.toAbsolutePath(), IniFile.read(p), env);
        }
        return new AnsibleConfig(null, Map.of(), env);
    }

    /** The raw value: the environment variable, else the file's, else empty. */
    private Optional<String> value(Setting s) {
        String e = env.get(s.envVar());
        if (e != null && !e.isBlank()) return Optional.of(e.strip());
        String v = sections.getOrDefault(s.section(), Map.of()).get(s.key());
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }

    /** A path setting: {@code ~} expanded, relative paths taken from the config file's directory, as Ansible does. */
    private String path(String v) {
        String p = expandHome(v, env);
        if (file != null && !Path.of(p).isAbsolute() && !p.contains(",")) return file.getParent().resolve(p).toString();
        return p;
    }

    /** {@code inventory}: comma-separated sources. */
    public List<String> inventory() {
        List<String> out = new ArrayList<>();
        value(INVENTORY).ifPresent(v -> {
            for (String part : v.split(",")) if (!part.isBlank()) out.add(path(part.strip()));
        });
        return out;
    }

    public Optional<String> remoteUser() {
        return value(REMOTE_USER);
    }

    public Optional<Path> privateKeyFile() {
        return value(PRIVATE_KEY).map(v -> Path.of(path(v)));
    }

    public Optional<Integer> forks() throws ConfigException {
        return integer(FORKS);
    }

    /** {@code timeout}: the SSH connection timeout in seconds. */
    public Optional<Integer> timeout() throws ConfigException {
        return integer(TIMEOUT);
    }

    public Optional<Boolean> hostKeyChecking() throws ConfigException {
        return bool(HOST_KEY_CHECKING);
    }

    /** {@code roles_path}: colon-separated directories. */
    public List<Path> rolesPath() {
        List<Path> out = new ArrayList<>();
        value(ROLES_PATH).ifPresent(v -> {
            for (String part : v.split(":")) if (!part.isBlank()) out.add(Path.of(path(part.strip())));
        });
        return out;
    }

    public Optional<String> vaultPasswordFile() {
        return value(VAULT_PASSWORD_FILE).map(this::path);
    }

    public Optional<String> vaultIdentityList() {
        return value(VAULT_IDENTITY_LIST);
    }

    public Optional<Boolean> become() throws ConfigException {
        return bool(BECOME);
    }

    public Optional<String> becomeUser() {
        return value(BECOME_USER);
    }

    /** {@code become_method}; fleet becomes through sudo only, so anything else is refused by the caller. */
    public Optional<String> becomeMethod() {
        return value(BECOME_METHOD);
    }

    /** Settings in the file that fleet does not use ({@code section.key}), to warn about once. */
    public Set<String> ignored() {
        Set<String> out = new TreeSet<>();
        sections.forEach((section, keys) -> keys.keySet().forEach(k -> {
            if (USED.stream().noneMatch(s -> s.section().equals(section) && s.key().equals(k))) {
                out.add(section + "." + k);
            }
        }));
        return out;
    }

    private Optional<Integer> integer(Setting s) throws ConfigException {
        Optional<String> v = value(s);
        if (v.isEmpty()) return Optional.empty();
        try {
            return Optional.of(Integer.parseInt(v.get()));
        } catch (NumberFormatException e) {
            throw new ConfigException(where(s) + ": " + s.key() + " must be a whole number, found '" + v.get() + "'");
        }
    }

    private Optional<Boolean> bool(Setting s) throws ConfigException {
        Optional<String> v = value(s);
        if (v.isEmpty()) return Optional.empty();
        return switch (v.get().toLowerCase()) {
            case "true", "yes", "on", "1", "y", "t" -> Optional.of(true);
            case "false", "no", "off", "0", "n", "f" -> Optional.of(false);
            default -> throw new ConfigException(where(s) + ": " + s.key() + " must be true or false, found '"
                    + v.get() + "'");
        };
    }

    private String where(Setting s) {
        String e = env.get(s.envVar());
        if (e != null && !e.isBlank()) return "$" + s.envVar();
        return (file == null ? "ansible.cfg" : file.toString()) + " [" + s.section() + "]";
    }

    private static String expandHome(String p, Map<String, String> env) {
        if (p.equals("~") || p.startsWith("~/")) {
            return env.getOrDefault("HOME", System.getProperty("user.home")) + p.substring(1);
        }
        return p;
    }

    /** The file's sections, for tests and {@code fleet config}. */
    public Map<String, Map<String, String>> sections() {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        sections.forEach((k, v) -> out.put(k, Map.copyOf(v)));
        return out;
    }

    /** Reads an ansible.cfg file (Python configparser's basic syntax). */
    static final class IniFile {
        private IniFile() {}

        static Map<String, Map<String, String>> read(Path p) throws ConfigException {
            List<String> lines;
            try {
                lines = Files.readAllLines(p);
            } catch (IOException e) {
                throw new ConfigException("cannot read " + p + ": " + e.getMessage());
            }
            Map<String, Map<String, String>> out = new LinkedHashMap<>();
            Map<String, String> current = null;
            String lastKey = null;
            for (int i = 0; i < lines.size(); i++) {
                String raw = lines.get(i);
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
                if (Character.isWhitespace(raw.charAt(0)) && current != null && lastKey != null) {
                    current.merge(lastKey, "\n" + line, String::concat); // a continuation line
                    continue;
                }
                if (line.startsWith("[") && line.endsWith("]")) {
                    current = out.computeIfAbsent(line.substring(1, line.length() - 1).strip(),
                            k -> new LinkedHashMap<>());
                    lastKey = null;
                    continue;
                }
                int eq = firstOf(line, '=', ':');
                if (current == null || eq <= 0) {
                    throw new ConfigException(p + ":" + (i + 1) + ": expected '[section]' or 'key = value', found '"
                            + line + "'");
                }
                String value = line.substring(eq + 1).strip();
                int comment = value.indexOf(" ;");
                if (comment >= 0) value = value.substring(0, comment).strip();
                lastKey = line.substring(0, eq).strip().toLowerCase();
                current.put(lastKey, value);
            }
            return out;
        }

        private static int firstOf(String s, char a, char b) {
            int i = s.indexOf(a);
            int j = s.indexOf(b);
            if (i < 0) return j;
            if (j < 0) return i;
            return Math.min(i, j);
        }
    }
}
