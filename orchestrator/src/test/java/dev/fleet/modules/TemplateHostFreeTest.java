package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code template}: renders a controller file with the host's variables, then places it as {@code copy} does. */
class TemplateHostFreeTest {
    private static final String DEST = "/etc/nginx/conf.d/site.conf";
    private static final Map<String, Object> VARS = Map.of("server_name", "example.org", "port", 8080,
            "upstreams", List.of("10.0.0.1", "10.0.0.2"));

    private final FakeHostSession host = new FakeHostSession("web1");

    @TempDir
    Path playbookDir;

    @BeforeEach
    void templates() throws Exception {
        Files.createDirectories(playbookDir.resolve("templates"));
        Files.writeString(playbookDir.resolve("templates/site.conf.j2"),
                "server {\n  listen {{ port }};\n  server_name {{ server_name }};\n}\n");
    }

    private ModuleHarness.Task template(Object... kv) {
        Map<String, Object> a = args(kv);
        a.putIfAbsent("src", "site.conf.j2");
        a.putIfAbsent("dest", DEST);
        return ModuleHarness.task("template", a).playbookDir(playbookDir).vars(VARS);
    }

    private static final String RENDERED = "server {\n  listen 8080;\n  server_name example.org;\n}\n";

    @Test
    void theRenderedTemplateIsUploaded() throws Exception {
        FakeFiles.missing(host, DEST);
        TaskOutcome o = template().on(host);
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.uploads()).hasSize(1);
        assertThat(host.uploads().get(0).text()).isEqualTo(RENDERED);
        assertThat(o.data()).containsEntry("checksum", FakeFiles.sha1(RENDERED)).containsEntry("dest", DEST);
    }

    @Test
    void aDestinationAlreadyRenderedIsOkWithoutUploading() throws Exception {
        FakeFiles.file(DEST, RENDERED).on(host);
        TaskOutcome o = template().on(host);
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(host.uploads()).isEmpty();
        assertThat(FakeFiles.changes(host)).isEmpty();
    }

    @Test
    void loopsAndFiltersAreRendered() throws Exception {
        Files.writeString(playbookDir.resolve("templates/up.j2"),
                "{% for u in upstreams %}server {{ u }};\n{% endfor %}{{ server_name | upper }}\n");
        FakeFiles.missing(host, "/etc/up");
        template("src", "up.j2", "dest", "/etc/up").on(host);
        assertThat(host.uploads().get(0).text()).isEqualTo("server 10.0.0.1;\nserver 10.0.0.2;\nEXAMPLE.ORG\n");
    }

    @Test
    void srcMayBeRelativeToThePlaybookDirectory() throws Exception {
        Files.writeString(playbookDir.resolve("plain.j2"), "port={{ port }}\n");
        FakeFiles.missing(host, "/etc/p");
        template("src", "plain.j2", "dest", "/etc/p").on(host);
        assertThat(host.uploads().get(0).text()).isEqualTo("port=8080\n");
    }

    @Test
    void checkModeRendersAndComparesButUploadsNothing() throws Exception {
        FakeFiles.file(DEST, "old\n").on(host);
        TaskOutcome o = template().check().on(host);
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.uploads()).isEmpty();
        assertThat(FakeFiles.changes(host)).isEmpty();
    }

    @Test
    void diffShowsTheRenderedChange() throws Exception {
        FakeFiles.file(DEST, RENDERED.replace("8080", "80")).on(host);
        TaskOutcome o = template().diff().on(host);
        assertThat((String) o.data().get("diff")).contains("-  listen 80;").contains("+  listen 8080;");
    }

    @Test
    void modeAndOwnerAreApplied() throws Exception {
        FakeFiles.missing(host, DEST);
        template("mode", "0644", "owner", "root", "group", "root").on(host);
        assertThat(FakeFiles.writeScript(host)).contains("chmod -- 0644 \"$t\"").contains("chown -- root \"$t\"")
                .contains("chgrp -- root \"$t\"");
    }

    @Test
    void aDirectoryDestGetsTheTemplatesFileName() throws Exception {
        FakeFiles.dir("/etc/nginx/conf.d").on(host);
        FakeFiles.missing(host, "/etc/nginx/conf.d/site.conf.j2");
        TaskOutcome o = template("dest", "/etc/nginx/conf.d").on(host);
        assertThat(o.data()).containsEntry("dest", "/etc/nginx/conf.d/site.conf.j2");
    }

    @Test
    void anUndefinedVariableRefusesTheTaskNamingTheTemplate() throws Exception {
        Files.writeString(playbookDir.resolve("templates/bad.j2"), "{{ nope }}\n");
        String why = template("src", "bad.j2").rejection(host);
        assertThat(why).startsWith("template " + playbookDir.resolve("templates/bad.j2")).contains("nope");
        assertThat(host.uploads()).isEmpty();
    }

    @Test
    void aMissingTemplateIsRefused() throws Exception {
        assertThat(template("src", "nope.j2").rejection(host)).startsWith("could not find src 'nope.j2'");
        assertThat(host.commands()).isEmpty();
    }

    @Test
    void modePreserveIsRefused() throws Exception {
        assertThat(template("mode", "preserve").rejection(host)).isEqualTo("template does not support mode=preserve");
    }

    @Test
    void validateRunsOnTheRenderedTemporaryFile() throws Exception {
        FakeFiles.missing(host, DEST);
        template("validate", "nginx -t -c %s").on(host);
        assertThat(FakeFiles.writeScript(host)).contains("nginx -t -c " + host.uploads().get(0).path());
    }

    @Test
    void templateTakesNoContent() throws Exception {
        assertThat(template("content", "x").rejection(host)).contains("unsupported argument 'content'");
    }

    @Test
    void ansibleManagedIsDefinedInTemplates() throws Exception {
        Files.writeString(playbookDir.resolve("templates/managed.j2"), "# {{ ansible_managed }}\n");
        FakeFiles.missing(host, "/etc/m");
        template("src", "managed.j2", "dest", "/etc/m").on(host);
        assertThat(host.uploads().get(0).text()).isEqualTo("# Ansible managed\n");
    }

    @Test
    void templateVariablesNameTheSourceAndDestination() throws Exception {
        Files.writeString(playbookDir.resolve("templates/where.j2"), "{{ template_path }}|{{ template_destpath }}"
                + "|{{ template_fullpath == tf }}|{{ template_uid | length > 0 }}|{{ template_host | length > 0 }}");
        FakeFiles.missing(host, "/etc/w");
        ModuleHarness.task("template", args("src", "where.j2", "dest", "/etc/w")).playbookDir(playbookDir)
                .vars(Map.of("tf", playbookDir.resolve("templates/where.j2").toString())).on(host);
        assertThat(host.uploads().get(0).text()).isEqualTo("where.j2|/etc/w|True|True|True");
    }

    @Test
    void theRunDateIsWrittenAsPythonWritesADatetime() {
        assertThat(TemplateModule.runDate(java.time.LocalDateTime.of(2026, 1, 2, 3, 4, 5, 6_000)))
                .isEqualTo("2026-01-02 03:04:05.000006");
        assertThat(TemplateModule.runDate(java.time.LocalDateTime.of(2026, 1, 2, 3, 4, 5)))
                .isEqualTo("2026-01-02 03:04:05");
    }
}
