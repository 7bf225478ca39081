package dev.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The man pages come from the picocli model: one per command, every visible option, valid troff text. */
class ManPageTest {
    @TempDir
    Path dir;

    @Test
    void writesOnePagePerCommandIncludingNestedOnes() throws Exception {
        List<Path> pages = ManPage.write(dir, "2026-12-03");
        assertThat(pages).extracting(p -> p.getFileName().toString())
                .contains("fleet.1", "fleet-run.1", "fleet-serve.1", "fleet-history-show.1", "fleet-vault-rekey.1")
                .doesNotHaveDuplicates();
        for (Path page : pages) assertThat(Files.readString(page)).startsWith(".TH FLEET");
    }

    @Test
    void rootPageListsTheCommandsAndTheExitCodes() throws Exception {
        ManPage.write(dir, "2026-12-03");
        String root = Files.readString(dir.resolve("fleet.1"));
        assertThat(root).contains(".TH FLEET 1 \"2026\\-12\\-03\" \"fleet ", "(commit ", ".SH NAME\nfleet \\- Runs",
                ".SH COMMANDS", "\\fBrun\\fR", "See \\fBfleet\\-run\\fR(1).", ".SH NOTES", "Exit codes:");
        assertThat(root).doesNotContain("Java ");
    }

    @Test
    void commandPageHasSynopsisArgumentsAndEveryOptionWithItsDefault() throws Exception {
        ManPage.write(dir, "2026-12-03");
        String run = Files.readString(dir.resolve("fleet-run.1"));
        assertThat(run).contains(".SH SYNOPSIS\n.nf\nfleet run ", ".SH ARGUMENTS\n.TP\n\\fIPLAYBOOK\\fR",
                "\\fB\\-i\\fR, \\fB\\-\\-inventory\\fR=\\fISOURCE\\fR", "\\fB\\-\\-no\\-history\\fR\n",
                "(default: 600)", ".SH SEE ALSO\n\\fBfleet\\fR(1)");
        assertThat(run).doesNotContain("${");
        // troff would take a text line starting with '.' or '\'' for a request
        for (String line : run.split("\n")) {
            if (line.startsWith(".") || line.startsWith("'")) assertThat(line).matches("\\.(TH|SH|TP|PP|nf|fi|nh).*");
        }
    }

    @Test
    void escapesBackslashesHyphensAndLeadingDots() {
        assertThat(ManPage.escape("a\\b --x")).isEqualTo("a\\eb \\-\\-x");
        assertThat(ManPage.escape(".hidden")).isEqualTo("\\&.hidden");
        assertThat(ManPage.escape("'quoted'")).isEqualTo("\\&'quoted'");
    }
}
