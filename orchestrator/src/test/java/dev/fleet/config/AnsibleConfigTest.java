package dev.fleet.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ansible.cfg as ansible-playbook finds and reads it. */
class AnsibleConfigTest {
    @TempDir
    Path dir;

    private Path cfg(Path where, String text) throws Exception {
        Files.createDirectories(where);
        return Files.writeString(where.resolve("ansible.cfg"), text);
    }

    @Test
    void readsTheSettingsFleetHasWithPathsRelativeToTheFile() throws Exception {
        cfg(dir.resolve("proj"), """
                # a comment
                [defaults]
                inventory = inventory/hosts.ini, other.yml
                remote_user = deploy
                private_key_file = ~/.ssh/deploy_key
                forks = 20
                timeout = 15
                host_key_checking = False
                roles_path = roles:/opt/roles
                vault_password_file = .vault-pass   ; inline comment
                stdout_callback = yaml

                [privilege_escalation]
                become = True
                become_user = admin
                """);
        AnsibleConfig c = AnsibleConfig.load(Map.of("HOME", "/home/op"), dir.resolve("proj"));
        Path p = dir.resolve("proj").toAbsolutePath();
        assertThat(c.file()).isEqualTo(p.resolve("ansible.cfg"));
        assertThat(c.inventory()).containsExactly(p.resolve("inventory/hosts.ini").toString(),
                p.resolve("other.yml").toString());
        assertThat(c.remoteUser()).contains("deploy");
        assertThat(c.privateKeyFile()).contains(Path.of("/home/op/.ssh/deploy_key"));
        assertThat(c.forks()).contains(20);
        assertThat(c.timeout()).contains(15);
        assertThat(c.hostKeyChecking()).contains(false);
        assertThat(c.rolesPath()).containsExactly(p.resolve("roles"), Path.of("/opt/roles"));
        assertThat(c.vaultPasswordFile()).contains(p.resolve(".vault-pass").toString());
        assertThat(c.become()).contains(true);
        assertThat(c.becomeUser()).contains("admin");
        assertThat(c.ignored()).containsExactly("defaults.stdout_callback");
    }

    @Test
    void environmentVariablesWinOverTheFile() throws Exception {
        cfg(dir, "[defaults]\nforks = 20\nremote_user = deploy\n");
        AnsibleConfig c = AnsibleConfig.load(Map.of("ANSIBLE_FORKS", "7", "HOME", dir.toString()), dir);
        assertThat(c.forks()).contains(7);
        assertThat(c.remoteUser()).contains("deploy");
    }

    @Test
    void ansibleConfigBeatsTheWorkingDirectoryWhichBeatsHome() throws Exception {
        cfg(dir.resolve("home"), "[defaults]\nforks = 1\n");
        Files.writeString(dir.resolve("home/.ansible.cfg"), "[defaults]\nforks = 2\n");
        cfg(dir.resolve("cwd"), "[defaults]\nforks = 3\n");
        Path explicit = cfg(dir.resolve("explicit"), "[defaults]\nforks = 4\n");
        Map<String, String> home = Map.of("HOME", dir.resolve("home").toString());
        assertThat(AnsibleConfig.load(home, dir.resolve("nowhere")).forks()).contains(2);
        assertThat(AnsibleConfig.load(home, dir.resolve("cwd")).forks()).contains(3);
        assertThat(AnsibleConfig.load(Map.of("HOME", home.get("HOME"), "ANSIBLE_CONFIG", explicit.toString()),
                dir.resolve("cwd")).forks()).contains(4);
    }

    @Test
    void badValuesNameTheFileAndTheSetting() throws Exception {
        cfg(dir, "[defaults]\nforks = many\n");
        AnsibleConfig c = AnsibleConfig.load(Map.of("HOME", dir.toString()), dir);
        assertThatThrownBy(c::forks).isInstanceOf(ConfigException.class)
                .hasMessageContaining("ansible.cfg [defaults]").hasMessageContaining("forks must be a whole number");
        cfg(dir.resolve("b"), "forks = 3\n");
        assertThatThrownBy(() -> AnsibleConfig.load(Map.of("HOME", dir.toString()), dir.resolve("b")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ansible.cfg:1")
                .hasMessageContaining("expected '[section]'");
    }

    @Test
    void noFileMeansDefaults() throws Exception {
        AnsibleConfig c = AnsibleConfig.load(Map.of("HOME", dir.toString()), dir);
        assertThat(c.file()).isNull();
        assertThat(c.inventory()).isEqualTo(List.of());
        assertThat(c.forks()).isEmpty();
    }
}
