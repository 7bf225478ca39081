package dev.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.testing.FleetCli;
import dev.fleet.testing.FleetCli.Run;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The completion scripts are valid shell, complete commands and options, and --version names the commit. */
class CompletionCommandTest {
    @TempDir
    Path dir;

    @Test
    void bashScriptIsValidAndKnowsCommandsAndOptions() throws Exception {
        Run r = FleetCli.fleet("completion", "bash");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("complete -F", "run", "doctor", "--no-progress", "--known-hosts");
        Path script = Files.writeString(dir.resolve("fleet.bash"), r.out());
        // completing "fleet do" in a real bash offers "doctor"
        String probe = "source " + script + "; COMP_WORDS=(fleet do); COMP_CWORD=1; COMP_LINE='fleet do'; "
                + "COMP_POINT=8; _complete_fleet fleet do fleet; echo \"${COMPREPLY[@]}\"";
        assertThat(bash(probe)).contains("doctor");
    }

    @Test
    void zshScriptLoadsBashCompletionFirst() {
        Run r = FleetCli.fleet("completion", "zsh");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("autoload -U +X compinit && compinit\nautoload -U +X bashcompinit");
        assertThat(FleetCli.fleet("completion", "fish").exit()).isEqualTo(5);
    }

    @Test
    void versionNamesTheCommit() {
        Run r = FleetCli.fleet("--version");
        assertThat(r.out()).containsPattern("fleet \\S+ \\(commit \\S+, Java ");
    }

    private static String bash(String script) throws Exception {
        Process p = new ProcessBuilder("bash", "--norc", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
