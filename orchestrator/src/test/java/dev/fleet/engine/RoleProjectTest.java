package dev.fleet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskResult;
import dev.fleet.result.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A project laid out the way operators lay them out (site.yml importing the tiers' playbooks, roles with defaults,
 * vars, files, templates, handlers and dependencies, a collection role, import_tasks, include_vars), run host-free.
 * The playbooks assert on their own variables; ansible-playbook 2.14 passes every one of those assertions on the
 * same tree (src/test/resources/roles-project) with {@code -e extra_over_param=extra}.
 */
class RoleProjectTest {
    static final String INVENTORY = """
            [web]
            web1 inv_over_def=inventory play_over_inv=inventory
            [db]
            db1 inv_over_def=inventory play_over_inv=inventory
            """;

    @TempDir
    static Path dir;
    static EngineHarness.Run run;
    static EngineHarness harness;

    @BeforeAll
    static void runSite() throws Exception {
        Path project = Path.of(RoleProjectTest.class.getResource("/roles-project/site.yml").toURI()).getParent();
        harness = new EngineHarness(dir);
        // copy and template look at the destination first: on these in-memory hosts it does not exist yet
        harness.transport.defaults(s -> s.on("echo missing", 0, "missing\nparent\n"));
        run = harness.run(project.resolve("site.yml"), INVENTORY,
                EngineHarness.options(Map.of("extra_over_param", "extra")));
    }

    @Test
    void everyAssertionInTheProjectHolds() {
        List<String> failures = run.results().stream().filter(r -> r.status() == TaskStatus.FAILED)
                .map(r -> r.host() + " " + r.task() + " (" + r.source() + "): " + r.outcome().msg()).toList();
        assertThat(failures).isEmpty();
        assertThat(run.outcome().exitCode()).isZero();
    }

    @Test
    void rolesRunAfterPreTasksAndBeforeTasksWithDependenciesOnce() {
        List<String> web = run.results().stream().filter(r -> r.play().equals("web tier")).map(TaskResult::task)
                .toList();
        assertThat(web).containsExactly(
                "pre_tasks see the play's role defaults and vars already",
                "common : motd from the role's files/",
                "common : role magic variables",
                // nginx depends on common, which already ran with the same parameters: not again
                "nginx : nginx.conf from the role's templates/",
                "check web", // the name is templated with the import's vars
                "only where enabled",
                "nested import sees the outer import's vars",
                "role params stay inside their role",
                "common : common restarted",
                "nginx : restart nginx");
    }

    @Test
    void filesAndTemplatesComeFromTheRole() {
        // uploads land in a temporary file first, then move into place
        var uploaded = harness.transport.host("web1").files().values();
        // the role's files/motd, not the playbook directory's motd
        assertThat(uploaded).contains("managed by the common role\n");
        assertThat(uploaded).contains("user www-data;\nlisten 8080;\ngreeting hello;\n");
    }

    @Test
    void importedTasksTakeTheImportsWhenAndTags() {
        assertThat(run.status("web1", "only where enabled")).isEqualTo(TaskStatus.SKIPPED);
        assertThat(run.status("db1", "acme.tools.hello : hello from a collection role")).isEqualTo(TaskStatus.OK);
    }

    @Test
    void theProjectParsesWithItsTagsOnImportedTasks() throws Exception {
        Path project = Path.of(RoleProjectTest.class.getResource("/roles-project/site.yml").toURI()).getParent();
        var playbook = new RunSetup().parse(project.resolve("site.yml"));
        var web = playbook.plays().get(0);
        assertThat(web.allTasks().stream().filter(t -> "check {{ check_target }}".equals(t.name()))
                .findFirst().orElseThrow().keywords().tags()).containsExactlyInAnyOrder("checks");
        var db = playbook.plays().get(1);
        assertThat(db.allTasks()).allSatisfy(t -> assertThat(t.keywords().tags()).contains("db"));
        assertThat(db.allTasks()).allSatisfy(t -> assertThat(t.keywords().when())
                .startsWith("run_db | default(true) | bool"));
        assertThat(Files.exists(project.resolve("roles/nginx/templates/nginx.conf.j2"))).isTrue();
    }
}
