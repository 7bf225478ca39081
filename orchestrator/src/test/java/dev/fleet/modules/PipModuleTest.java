package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pip} against a real sshd: a virtualenv made under a temporary directory with /usr/bin/python3's venv,
 * and a tiny wheel the test writes by hand, installed offline ({@code --no-index --find-links}).
 */
class PipModuleTest {
    @TempDir
    static Path tmp;
    @RegisterExtension
    static final ModuleLab host = ModuleLab.plain();
    static Path wheels;
    static String venv;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(ModuleLab.local("/usr/bin/python3", "-c", "import venv, ensurepip; print('ok')").equals("ok"),
                "python3-venv not installed");
        wheels = Files.createDirectory(tmp.resolve("wheels"));
        writeWheel(wheels, "tinypkg", "1.0");
        writeWheel(wheels, "tinypkg", "2.0");
        venv = tmp.resolve("venv").toString();
    }

    /** A pure-Python wheel: a zip of the package, METADATA, WHEEL and RECORD. */
    static void writeWheel(Path dir, String name, String version) throws IOException {
        String info = name + "-" + version + ".dist-info/";
        Map<String, String> files = new LinkedHashMap<>();
        files.put(name + "/__init__.py", "VERSION = '" + version + "'\n");
        files.put(info + "METADATA", "Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n");
        files.put(info + "WHEEL", "Wheel-Version: 1.0\nGenerator: fleet-test\nRoot-Is-Purelib: true\n"
                + "Tag: py3-none-any\n");
        StringBuilder record = new StringBuilder();
        for (String f : files.keySet()) record.append(f).append(",,\n");
        files.put(info + "RECORD", record.append(info).append("RECORD,,\n").toString());
        try (OutputStream o = Files.newOutputStream(dir.resolve(name + "-" + version + "-py3-none-any.whl"));
                ZipOutputStream z = new ZipOutputStream(o)) {
            for (Map.Entry<String, String> e : files.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
    }

    private static TaskOutcome pip(boolean check, Object... kv) throws Exception {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("virtualenv", venv);
        args.put("virtualenv_command", "/usr/bin/python3 -m venv");
        for (int i = 0; i < kv.length; i += 2) args.put((String) kv[i], kv[i + 1]);
        return new PipModule().run(host.ctx(args, check, java.time.Duration.ofSeconds(180)));
    }

    private static String installed() throws Exception {
        return ModuleLab.local(venv + "/bin/python", "-c",
                "import importlib.metadata as m\ntry:\n print(m.version('tinypkg'))\n"
                        + "except Exception:\n print('none')");
    }

    @Test
    void installsUpgradesRemovesIdempotentlyAndCheckModeChangesNothing() throws Exception {
        String offline = "--no-index --find-links " + wheels;
        TaskOutcome o = pip(true, "name", List.of("tinypkg==1.0"), "extra_args", offline);
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(Path.of(venv)).doesNotExist();

        o = pip(false, "name", List.of("tinypkg==1.0"), "extra_args", offline);
        assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).containsEntry("virtualenv", venv).containsEntry("state", "present")
                .containsEntry("name", List.of("tinypkg==1.0")).containsEntry("version", null);
        assertThat(o.data().get("cmd")).isEqualTo(List.of(venv + "/bin/pip3", "install", "--no-index",
                "--find-links", wheels.toString(), "tinypkg==1.0"));
        assertThat(installed()).isEqualTo("1.0");
        assertThat(pip(false, "name", List.of("tinypkg==1.0"), "extra_args", offline).status())
                .isEqualTo(TaskStatus.OK);

        assertThat(pip(true, "name", List.of("tinypkg>=1.0,<2")).status()).isEqualTo(TaskStatus.OK);
        o = pip(true, "name", List.of("tinypkg"), "version", "2.0");
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data().get("cmd")).isEqualTo(venv + "/bin/pip3 list --format=freeze");
        assertThat(installed()).isEqualTo("1.0");

        o = pip(false, "name", List.of("tinypkg"), "version", "2.0", "extra_args", offline);
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).containsEntry("version", "2.0");
        assertThat(installed()).isEqualTo("2.0");
        assertThat(pip(false, "name", List.of("tinypkg"), "state", "latest", "version", "2.0").msg())
                .isEqualTo("version is incompatible with state=latest");

        assertThat(pip(true, "name", List.of("tinypkg"), "state", "absent").status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(pip(false, "name", List.of("tinypkg"), "state", "absent").status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(installed()).isEqualTo("none");
        assertThat(pip(false, "name", List.of("tinypkg"), "state", "absent").status()).isEqualTo(TaskStatus.OK);

        Path req = Files.writeString(tmp.resolve("requirements.txt"), "tinypkg==1.0\n");
        o = pip(false, "requirements", req.toString(), "extra_args", offline);
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).containsEntry("requirements", req.toString());
        assertThat(pip(false, "requirements", req.toString(), "extra_args", offline).status())
                .isEqualTo(TaskStatus.OK);
        assertThat(pip(false, "name", List.of("tinypkg"), "state", "forcereinstall", "extra_args", offline)
                .status()).isEqualTo(TaskStatus.CHANGED);
    }

    @Test
    void aMissingVirtualenvToolAndAMissingPipFailClearly() throws Exception {
        TaskOutcome o = pip(false, "name", List.of("x"), "virtualenv", tmp.resolve("v2").toString(),
                "virtualenv_command", "no-such-virtualenv-tool");
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).startsWith("Failed to find required executable \"no-such-virtualenv-tool\" in paths");
        Path fake = Files.createDirectories(tmp.resolve("nopip/bin"));
        Files.writeString(fake.resolve("activate"), "");
        o = pip(false, "name", List.of("x"), "virtualenv", tmp.resolve("nopip").toString());
        assertThat(o.msg()).isEqualTo("Unable to find pip in the virtualenv, " + tmp.resolve("nopip")
                + ", under any of these names: pip3, pip. Make sure pip is present in the virtualenv.");
    }
}
