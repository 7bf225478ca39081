package dev.fleet.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ini and csvfile on files in a temporary playbook tree; expected values from ansible-core 2.14. */
class LookupIniCsvTest {
    @TempDir
    Path pb;

    @BeforeEach
    void files() throws Exception {
        Files.createDirectories(pb.resolve("files"));
        Files.writeString(pb.resolve("files/c.ini"), """
                # comment
                [DEFAULT]
                base = /srv

                [sec]
                K1=v1
                k2 = v2
                path = %(base)s/app
                pct = 100%%
                multi = first
                  second
                empty =
                ; other comment
                [other]
                k1: o1
                """);
        Files.writeString(pb.resolve("files/u.properties"), "user.name=bob\njava.home = /usr/lib/jvm\n");
        Files.writeString(pb.resolve("files/d.csv"), "alpha,1,2\n\"be,ta\",\"x \"\"q\"\"\",4\n\nbeta,3,4\n");
        Files.writeString(pb.resolve("files/ansible.csv"), "a\t1\nb\t2\n");
    }

    private List<Object> run(String name, Map<String, Object> options, Object... terms) throws LookupException {
        LookupContext ctx = new LookupContext(List.of(pb), pb, Map.of(), LookupContext.Renderer.NONE);
        return Lookups.find(name).orElseThrow().run(Arrays.asList(terms), options, ctx);
    }

    @Test
    void iniReadsAsConfigparserDoes() throws Exception {
        assertThat(run("ini", Map.of("section", "sec", "file", "c.ini"),
                "k1", "K2", "path", "pct", "multi", "empty", "base", "missing"))
                .containsExactly("v1", "v2", "/srv/app", "100%", "first\nsecond", "", "/srv", "");
        assertThat(run("ini", Map.of("section", "sec", "file", "c.ini", "case_sensitive", true, "default", "D"), "k1"))
                .containsExactly("D");
        assertThat(run("ini", Map.of("section", "sec", "file", "c.ini", "re", true), "k.*"))
                .containsExactly("v1", "v2");
        assertThat(run("ini", Map.of(), "k1 section=other file=c.ini")).containsExactly("o1");
        assertThat(run("ini", Map.of("type", "properties", "file", "u.properties"), "user.name", "java.home"))
                .containsExactly("bob", "/usr/lib/jvm");
    }

    @Test
    void iniMistakesAreExplained() throws Exception {
        assertThatThrownBy(() -> run("ini", Map.of("section", "nosec", "file", "c.ini"), "k1"))
                .isInstanceOf(LookupException.class).hasMessageContaining("No section 'nosec' in c.ini");
        assertThatThrownBy(() -> run("ini", Map.of("file", "none.ini"), "k1"))
                .hasMessageContaining("could not locate file");
        assertThatThrownBy(() -> run("ini", Map.of("bogus", 1, "file", "c.ini"), "k1"))
                .hasMessageContaining("bogus is not a valid option");
        Files.writeString(pb.resolve("files/dup.ini"), "[s]\nk=1\nK=2\n");
        assertThatThrownBy(() -> run("ini", Map.of("section", "s", "file", "dup.ini"), "k"))
                .hasMessageContaining("Duplicate option");
        assertThat(run("ini", Map.of("section", "s", "file", "dup.ini", "case_sensitive", true), "K"))
                .containsExactly("2");
    }

    @Test
    void csvfileFindsTheRowByItsFirstColumn() throws Exception {
        assertThat(run("csvfile", Map.of("file", "d.csv", "delimiter", ","), "beta", "be,ta"))
                .containsExactly("3", "x \"q\"");
        assertThat(run("csvfile", Map.of(), "b", "zz")).containsExactly("2");
        assertThat(run("csvfile", Map.of("default", "none"), "zz")).containsExactly("none");
        assertThat(run("csvfile", Map.of(), "alpha file=d.csv delimiter=, col=2")).containsExactly("2");
        assertThatThrownBy(() -> run("csvfile", Map.of("file", "d.csv", "delimiter", ",", "col", 5), "alpha"))
                .isInstanceOf(LookupException.class).hasMessageContaining("no col=5");
        assertThatThrownBy(() -> run("csvfile", Map.of(), "file=d.csv")).hasMessageContaining("Search key is required");
    }
}
