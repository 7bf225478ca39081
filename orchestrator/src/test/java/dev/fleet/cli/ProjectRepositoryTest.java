package dev.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fleet.testing.FleetCli;
import dev.fleet.testing.SshdFixture.LabHost;
import dev.fleet.testing.SshdLab;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A repository laid out the way operators keep one (ansible.cfg naming the inventory, the vault password file and
 * a roles path; roles with a dependency, defaults, parameters and a handler; vaulted group_vars), run unchanged by
 * fleet and, when it is installed, by ansible-playbook against the same real sshd hosts: the same recap per host,
 * and the vaulted value appears in none of fleet's output, though a failing task prints it.
 */
class ProjectRepositoryTest {
    @RegisterExtension
    static final SshdLab lab = new SshdLab(2);

    @TempDir
    Path dir;

    private static final String SECRET = "s3cret-Value-42";

    private Path write(Path project, String path, String text) throws Exception {
        Path p = project.resolve(path);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, text);
    }

    private Path project() throws Exception {
        Path p = Files.createDirectories(dir.resolve("repo"));
        write(p, "ansible.cfg", """
                [defaults]
                inventory = inventory/hosts.ini
                vault_password_file = .vault-pass
                roles_path = shared-roles
                retry_files_enabled = False
                """);
        StringBuilder ini = new StringBuilder("[web]\n");
        for (LabHost h : lab.hosts()) {
            ini.append(h.name()).append(" ansible_host=").append(h.address()).append(" ansible_port=")
                    .append(h.port()).append(" ansible_user=").append(lab.user())
                    .append(" ansible_ssh_private_key_file=").append(lab.privateKey()).append('\n');
        }
        write(p, "inventory/hosts.ini", ini.toString());
        write(p, ".vault-pass", "correct horse battery\n");
        Path vaulted = write(p, "inventory/group_vars/web/vault.yml", "vault_db_password: " + SECRET + "\n");
        FleetCli.Run enc = FleetCli.fleet("vault", "encrypt", vaulted.toString(), "--vault-password-file",
                p.resolve(".vault-pass").toString());
        assertThat(enc.exit()).as(enc.err()).isZero();
        write(p, "inventory/group_vars/web/vars.yml", "db_password: \"{{ vault_db_password }}\"\n");
        write(p, "shared-roles/common/tasks/main.yml", """
                - name: host directory
                  command: mkdir -p {{ out }}/{{ inventory_hostname }}
                  changed_when: false
                """);
        write(p, "roles/app/meta/main.yml", "dependencies:\n  - common\n");
        write(p, "roles/app/defaults/main.yml", "app_port: 80\n");
        write(p, "roles/app/tasks/main.yml", """
                - name: write config
                  copy:
                    content: "port={{ app_port }} pw={{ db_password | hash('sha1') }}\\n"
                    dest: "{{ out }}/{{ inventory_hostname }}/app.conf"
                  notify: app changed
                """);
        write(p, "roles/app/handlers/main.yml", """
                - name: app changed
                  command: touch {{ out }}/{{ inventory_hostname }}/handled
                """);
        write(p, "site.yml", """
                - hosts: web
                  gather_facts: false
                  roles:
                    - role: app
                      app_port: 8080
                  post_tasks:
                    - name: a failing command that prints the secret
                      command: sh -c 'echo {{ db_password }}; exit 3'
                      ignore_errors: true
                    - stat:
                        path: "{{ out }}/{{ inventory_hostname }}/app.conf"
                      register: conf
                    - assert:
                        that: conf.stat.exists
                """);
        return p;
    }

    private static Process start(List<String> cmd, Path cwd, Path log, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().remove("ANSIBLE_CONFIG");
        pb.environment().remove("ANSIBLE_INVENTORY");
        pb.environment().putAll(env);
        return pb.start();
    }

    /** host -> "ok=N changed=N failed=N ignored=N" from a PLAY RECAP. */
    private static Map<String, String> recap(String output) {
        Map<String, String> out = new TreeMap<>();
        Matcher m = Pattern.compile("(?m)^(\\S+)\\s*:\\s*ok=(\\d+)\\s+changed=(\\d+)\\s+unreachable=\\d+\\s+"
                + "failed=(\\d+)\\s+skipped=\\d+\\s+rescued=\\d+\\s+ignored=(\\d+)").matcher(output);
        while (m.find()) {
            out.put(m.group(1), "ok=" + m.group(2) + " changed=" + m.group(3) + " failed=" + m.group(4)
                    + " ignored=" + m.group(5));
        }
        return out;
    }

    @Test
    void aRoleRepositoryWithVaultAndAnsibleCfgRunsTheSameUnderFleetAndAnsible() throws Exception {
        Path p = project();
        Path report = dir.resolve("report.json");
        List<String> fleet = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), "dev.fleet.cli.Main", "run", "site.yml",
                "-e", "out=" + dir.resolve("fleet-out"), "--known-hosts", lab.knownHosts().toString(),
                "--no-history", "--json", report.toString()));
        Path fleetLog = dir.resolve("fleet.log");
        Process f = start(fleet, p, fleetLog, Map.of());
        assertThat(f.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String fleetOut = Files.readString(fleetLog);
        assertThat(f.exitValue()).as(fleetOut).isZero();
        assertThat(fleetOut).contains("settings fleet does not use: defaults.retry_files_enabled");
        for (LabHost h : lab.hosts()) {
            assertThat(Files.readString(dir.resolve("fleet-out").resolve(h.name()).resolve("app.conf")))
                    .startsWith("port=8080 pw=");
            assertThat(dir.resolve("fleet-out").resolve(h.name()).resolve("handled")).exists();
        }
        // the vaulted value reached the hosts but no output: console, report
        assertThat(fleetOut).doesNotContain(SECRET);
        assertThat(Files.readString(report)).doesNotContain(SECRET).contains("********");
        Map<String, String> fleetRecap = recap(fleetOut);
        assertThat(fleetRecap).hasSize(2);

        Path ansible = Path.of("/usr/bin/ansible-playbook");
        assumeTrue(Files.isExecutable(ansible), "ansible-playbook is not installed: fleet's side was checked");
        Path ansibleLog = dir.resolve("ansible.log");
        Process a = start(List.of(ansible.toString(), "site.yml", "-e", "out=" + dir.resolve("ansible-out")), p,
                ansibleLog, Map.of("ANSIBLE_HOME", dir.resolve("ansible-home").toString(),
                        "ANSIBLE_LOCAL_TEMP", dir.resolve("ansible-home/tmp").toString(),
                        "ANSIBLE_SSH_ARGS", "-o UserKnownHostsFile=" + lab.knownHosts()
                                + " -o StrictHostKeyChecking=yes -o ControlMaster=auto -o ControlPersist=10s",
                        "ANSIBLE_SSH_CONTROL_PATH_DIR", Files.createDirectories(dir.resolve("cp")).toString(),
                        "ANSIBLE_NOCOLOR", "1"));
        assertThat(a.waitFor(180, TimeUnit.SECONDS)).isTrue();
        String ansibleOut = Files.readString(ansibleLog);
        assertThat(a.exitValue()).as(ansibleOut).isZero();
        assertThat(recap(ansibleOut)).as(ansibleOut).isEqualTo(fleetRecap);
        for (LabHost h : lab.hosts()) {
            assertThat(Files.readString(dir.resolve("ansible-out").resolve(h.name()).resolve("app.conf")))
                    .isEqualTo(Files.readString(dir.resolve("fleet-out").resolve(h.name()).resolve("app.conf")));
        }
    }
}
