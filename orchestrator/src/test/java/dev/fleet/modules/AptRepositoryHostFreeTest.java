package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code apt_repository}: one-line sources found, added, re-enabled and removed as Ansible 2.14 does. */
class AptRepositoryHostFreeTest {
    private static final String CHROME = "deb [arch=amd64] http://dl.google.com/linux/chrome/deb/ stable main";
    private static final String CHROME_FILE = "/etc/apt/sources.list.d/dl_google_com_linux_chrome_deb.list";

    private final FakeHostSession host = new FakeHostSession("web1");

    /** The host's sources files, as the module's one read of them answers. */
    private void sources(Map<String, String> files) {
        StringBuilder out = new StringBuilder();
        files.forEach((path, text) -> out.append(path).append('\t')
                .append(Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8))).append('\n'));
        host.when(c -> c.contains("base64 -w0 <"), c -> FakeHostSession.result(0, out.toString(), ""));
    }

    private static Map<String, String> files(String... pathsAndTexts) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pathsAndTexts.length; i += 2) m.put(pathsAndTexts[i], pathsAndTexts[i + 1]);
        return m;
    }

    @Test
    void newSourcesGoToTheFileAnsibleNamesFromTheUrl() {
        assertThat(AptSourcesList.fileFor(AptSourcesList.parse(CHROME).source(), null)).isEqualTo(CHROME_FILE);
        assertThat(AptSourcesList.fileFor("deb http://user:secret@repo.example.com:8080/debian/ bookworm main",
                null)).isEqualTo("/etc/apt/sources.list.d/repo_example_com_8080_debian.list");
        assertThat(AptSourcesList.fileFor("deb file:/srv/repo ./", null))
                .isEqualTo("/etc/apt/sources.list.d/file_srv_repo.list");
        assertThat(AptSourcesList.fileFor("deb-src https://x.example/a b c", "mine"))
                .isEqualTo("/etc/apt/sources.list.d/mine.list");
        assertThat(AptSourcesList.fileFor("deb https://x.example/a b c", "/etc/apt/other"))
                .isEqualTo("/etc/apt/other.list");
    }

    @Test
    void linesAreParsedAndWrittenBackAsAnsibleDoes() {
        AptSourcesList.Line l = AptSourcesList.parse("  #deb   http://a.example/  sid   main # my  note ");
        assertThat(l).isEqualTo(new AptSourcesList.Line(true, false, "deb http://a.example/ sid main", "my  note"));
        assertThat(l.text()).isEqualTo("# deb http://a.example/ sid main # my  note\n");
        assertThat(AptSourcesList.parse("").text()).isEqualTo("\n");
        assertThat(AptSourcesList.parse("#just words").valid()).isFalse();
    }

    @Test
    void addingANewSourceWritesItsFileAndUpdatesTheCache() throws Exception {
        sources(files("/etc/apt/sources.list", "deb http://deb.example/debian bookworm main\n"));
        FakeFiles.missing(host, CHROME_FILE);
        TaskOutcome o = ModuleHarness.run(host, "apt_repository", args("repo", CHROME));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).containsEntry("repo", CHROME).containsEntry("state", "present")
                .containsEntry("sources_added", List.of(CHROME_FILE)).containsEntry("sources_removed", List.of());
        assertThat(host.uploads()).hasSize(1);
        assertThat(host.uploads().get(0).path()).startsWith("/etc/apt/sources.list.d/.dl_google_com_linux_chrome");
        assertThat(host.uploads().get(0).text()).isEqualTo(CHROME + "\n");
        assertThat(FakeFiles.writeScript(host)).contains("mv -f --").contains("0666 & ~0$(umask)");
        assertThat(host.commands()).contains(AptCacheUpdate.COMMAND);
    }

    @Test
    void aSourceAlreadyThereChangesNothingWhateverItsSpacing() throws Exception {
        sources(files("/etc/apt/sources.list", "deb  http://deb.example/debian   bookworm main\n"));
        TaskOutcome o = ModuleHarness.run(host, "apt_repository",
                args("repo", "deb http://deb.example/debian bookworm main"));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(host.uploads()).isEmpty();
        assertThat(host.commands()).doesNotContain(AptCacheUpdate.COMMAND);
        assertThat(o.data()).containsEntry("diff", Map.of());
    }

    @Test
    void aCommentedOutCopyIsEnabledInPlaceWithADiff() throws Exception {
        String list = "/etc/apt/sources.list.d/local.list";
        sources(files(list, "# local mirror\n#deb file:/srv/repo ./\n"));
        FakeFiles.file(list, "# local mirror\n#deb file:/srv/repo ./\n").on(host);
        TaskOutcome o = ModuleHarness.task("apt_repository", args("repo", "deb file:/srv/repo ./",
                "update_cache", false)).diff().on(host);
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.files().values()).containsExactly("# local mirror\ndeb file:/srv/repo ./\n");
        assertThat(o.data().get("diff")).isEqualTo(List.of(Map.of("before", "# local mirror\n# deb file:/srv/repo ./\n",
                "after", "# local mirror\ndeb file:/srv/repo ./\n", "before_header", list, "after_header", list)));
        assertThat(host.commands()).doesNotContain(AptCacheUpdate.COMMAND);
    }

    @Test
    void absentRemovesEveryEnabledCopyAndAFileLeftEmpty() throws Exception {
        String list = "/etc/apt/sources.list.d/x.list";
        sources(files("/etc/apt/sources.list", "deb http://a.example/ sid main\n# deb http://a.example/ sid main\n",
                list, "deb http://a.example/ sid main\n"));
        FakeFiles.file("/etc/apt/sources.list", "x").on(host);
        TaskOutcome o = ModuleHarness.run(host, "apt_repository", args("repo", "deb http://a.example/ sid main",
                "state", "absent", "update_cache", "no"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.files().values()).containsExactly("# deb http://a.example/ sid main\n");
        assertThat(FakeFiles.scripts(host)).contains("rm -f -- " + list);
        assertThat(o.data()).containsEntry("sources_removed", List.of(list));
    }

    @Test
    void checkModeReportsTheChangeAndWritesNothing() throws Exception {
        sources(files());
        TaskOutcome o = ModuleHarness.check(host, "apt_repository", args("repo", CHROME));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.uploads()).isEmpty();
        assertThat(host.commands()).hasSize(1);
    }

    @Test
    void modeAppliesToTheFileOfANewSource() throws Exception {
        sources(files());
        FakeFiles.missing(host, "/etc/apt/sources.list.d/mine.list");
        ModuleHarness.run(host, "apt_repository", args("repo", CHROME, "filename", "mine", "mode", "0600",
                "update_cache", false));
        assertThat(FakeFiles.writeScript(host)).contains("chmod -- 0600");
    }

    @Test
    void aFailedCacheUpdatePutsTheSourcesBack() throws Exception {
        sources(files());
        FakeFiles.missing(host, CHROME_FILE);
        host.on(AptCacheUpdate.COMMAND, 100, "", "W: x\nE: Failed to fetch http://dl.google.com/x  404\nE: Some"
                + " index files failed to download.\n");
        TaskOutcome o = ModuleHarness.run(host, "apt_repository", args("repo", CHROME, "update_cache_retries", 1));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("Failed to update apt cache: E:Failed to fetch http://dl.google.com/x  404,"
                + " E:Some index files failed to download.");
        assertThat(FakeFiles.scripts(host)).contains("rm -f -- " + CHROME_FILE);
        assertThat(host.commandsContaining(AptCacheUpdate.COMMAND)).hasSize(1);
    }

    @Test
    void aHostWithoutAptIsNotSupported() throws Exception {
        host.on("[ -d /etc/apt ] || exit 4", 4, "");
        assertThat(ModuleHarness.run(host, "apt_repository", args("repo", CHROME)).msg())
                .isEqualTo("Module apt_repository is not supported on target.");
    }

    @Test
    void badRepositoriesAreRefusedClearly() throws Exception {
        assertThat(ModuleHarness.run(host, "apt_repository", args("repo", "foo bar")).msg())
                .isEqualTo("Invalid repository string: foo bar");
        assertThat(ModuleHarness.run(host, "apt_repository", args("repo", "# deb http://a/ b c")).msg())
                .isEqualTo("Invalid repository string:  deb http://a/ b c");
        assertThat(ModuleHarness.run(host, "apt_repository", args("repo", "ppa:git-core/ppa")).msg())
                .contains("PPA", "Launchpad");
        assertThat(ModuleHarness.run(host, "apt_repository", args("repo", "")).msg())
                .isEqualTo("Please set argument 'repo' to a non-empty value");
        assertThat(host.commands()).isEmpty();
        assertThat(ModuleHarness.rejection(host, "apt_repository", args("repo", CHROME, "state", "gone")))
                .contains("state");
        assertThat(ModuleHarness.rejection(host, "apt_repository", args("state", "present"))).contains("repo");
        assertThat(ModuleHarness.rejection(host, "apt_repository", args("repo", CHROME, "mode", "rw")))
                .contains("mode");
    }
}
