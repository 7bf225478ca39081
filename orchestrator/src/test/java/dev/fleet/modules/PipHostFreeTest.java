package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code pip}: the pip command line, virtualenv creation, check mode's comparison, and argument errors. */
class PipHostFreeTest {
    private final FakeHostSession host = new FakeHostSession("web1");

    {
        host.on("command -v python3", 0, "/usr/bin/python3\n");
        host.on("import pip", 0, "/usr/bin/python3\n");
        host.on("list --format=freeze", 0, "Django==1.11.2\nsix==1.16.0\nzope.interface==5.0rc1\n");
    }

    @Test
    void installsWithThePythonOfTheHostAndReadsPipsReport() throws Exception {
        host.on("pip.__main__ install", 0, "Successfully installed six-1.16.0\n");
        TaskOutcome o = ModuleHarness.run(host, "pip", args("name", List.of("six", "my pkg"), "extra_args",
                "--index-url 'http://x/a b'"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data().get("cmd")).isEqualTo(List.of("/usr/bin/python3", "-m", "pip.__main__", "install",
                "--index-url", "http://x/a b", "six", "my pkg"));
        assertThat(host.commandsContaining(" install ")).containsExactly("cd /tmp && /usr/bin/python3 -m"
                + " pip.__main__ install --index-url 'http://x/a b' six 'my pkg'");
        host.on("pip.__main__ install", 0, "Requirement already satisfied: six\n");
        assertThat(ModuleHarness.run(host, "pip", args("name", "six")).status()).isEqualTo(TaskStatus.OK);
    }

    @Test
    void withoutPipForPython3Pip3OnThePathIsUsedOrTheTaskFails() throws Exception {
        host.on("import pip", 1, "");
        host.on("command -v pip3", 0, "/usr/local/bin/pip3\n");
        TaskOutcome o = ModuleHarness.run(host, "pip", args("name", "six"));
        assertThat(o.data().get("cmd")).isEqualTo(List.of("/usr/local/bin/pip3", "install", "six"));
        host.on("command -v pip3", 1, "");
        assertThat(ModuleHarness.run(host, "pip", args("name", "six")).msg())
                .isEqualTo("Unable to find any of pip3 to use.  pip needs to be installed.");
    }

    @Test
    void aMissingVirtualenvIsCreatedFirstWithTheGivenTool() throws Exception {
        host.on("test -e /srv/v/bin/activate", 1, "");
        host.on("command -v virtualenv", 0, "/usr/bin/virtualenv\n");
        host.on("test -x /srv/v/bin/pip3", 0, "");
        TaskOutcome o = ModuleHarness.run(host, "pip", args("name", "six", "virtualenv", "/srv/v",
                "virtualenv_site_packages", true, "virtualenv_python", "python3.11", "chdir", "/srv", "umask", "0022"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.commands()).contains("umask 0022 && cd /srv && /usr/bin/virtualenv --system-site-packages"
                + " -ppython3.11 /srv/v",
                "umask 0022 && cd /srv && PATH=/srv/v/bin:\"$PATH\" /srv/v/bin/pip3 install six");
        host.on("test -e /srv/w/bin/activate", 1, "");
        assertThat(ModuleHarness.run(host, "pip", args("name", "six", "virtualenv", "/srv/w",
                "virtualenv_command", "python3 -m venv", "virtualenv_python", "python3.11")).msg())
                .isEqualTo("virtualenv_python should not be used when using the venv module or pyvenv as"
                        + " virtualenv_command");
        host.on("test -e /srv/c/bin/activate", 1, "");
        int before = host.commands().size();
        assertThat(ModuleHarness.check(host, "pip", args("name", "six", "virtualenv", "/srv/c")).status())
                .isEqualTo(TaskStatus.CHANGED);
        assertThat(host.commands().subList(before, host.commands().size())).hasSize(1);
    }

    @Test
    void checkModeComparesRequirementsWithWhatPipLists() throws Exception {
        assertThat(ModuleHarness.check(host, "pip", args("name", List.of("six>=1.15", "django>1.11.1", "<1.12")))
                .status()).isEqualTo(TaskStatus.OK);
        assertThat(ModuleHarness.check(host, "pip", args("name", "six", "version", "1.17")).status())
                .isEqualTo(TaskStatus.CHANGED);
        assertThat(ModuleHarness.check(host, "pip", args("name", "Zope_Interface~=5.0rc1")).status())
                .isEqualTo(TaskStatus.OK);
        assertThat(ModuleHarness.check(host, "pip", args("name", "six", "state", "absent")).status())
                .isEqualTo(TaskStatus.CHANGED);
        assertThat(ModuleHarness.check(host, "pip", args("name", "absent-one", "state", "absent")).status())
                .isEqualTo(TaskStatus.OK);
        assertThat(ModuleHarness.check(host, "pip", args("name", "six", "extra_args", "--user")).status())
                .isEqualTo(TaskStatus.CHANGED);
        assertThat(host.commandsContaining(" install")).isEmpty();
    }

    @Test
    void versionsCompareAsPipDoes() {
        assertThat(PipRequirement.compare("1.10", "1.9")).isPositive();
        assertThat(PipRequirement.compare("1.0", "1")).isZero();
        assertThat(PipRequirement.compare("2.0rc1", "2.0")).isNegative();
        assertThat(PipRequirement.parse("a==1.*").isSatisfiedBy("1.4")).isTrue();
        assertThat(PipRequirement.parse("a!=1.*").isSatisfiedBy("1.4")).isFalse();
        assertThat(PipRequirement.parse("a~=1.4").isSatisfiedBy("1.9")).isTrue();
        assertThat(PipRequirement.parse("a~=1.4").isSatisfiedBy("2.0")).isFalse();
        assertThat(PipRequirement.parse("git+https://h/r#egg=x").name()).isNull();
        assertThat(PipRequirement.recover(List.of("django>1.11.1", "<1.11.3", "ipaddress", "pkg[a,b]>1")))
                .containsExactly("django>1.11.1,<1.11.3", "ipaddress", "pkg[a,b]>1");
    }

    @Test
    void badArgumentsAreRefusedNamingThem() throws Exception {
        assertThat(ModuleHarness.rejection(host, "pip", args("state", "present")))
                .contains("one of the following is required: name, requirements");
        assertThat(ModuleHarness.rejection(host, "pip", args("name", "a", "requirements", "r.txt")))
                .contains("mutually exclusive: name|requirements");
        assertThat(ModuleHarness.rejection(host, "pip", args("name", "a", "state", "gone"))).contains("state");
        assertThat(ModuleHarness.run(host, "pip", args("name", List.of("a", "b"), "version", "1")).msg())
                .startsWith("'version' argument is ambiguous");
        assertThat(ModuleHarness.run(host, "pip", args("name", "a>1", "version", "2")).msg())
                .startsWith("The 'version' argument conflicts");
        assertThat(ModuleHarness.run(host, "pip", args("name", "a", "umask", "u+rw")).msg())
                .isEqualTo("umask must be an octal integer");
    }
}
