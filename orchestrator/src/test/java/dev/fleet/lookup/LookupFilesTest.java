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

/** file, fileglob, first_found and template on a temporary playbook tree; expected values from ansible 2.14. */
class LookupFilesTest {
    @TempDir
    Path pb;

    private Path role;
    private LookupContext ctx;

    @BeforeEach
    void tree() throws Exception {
        role = pb.resolve("roles/web");
        for (Path d : List.of(pb.resolve("files/conf.d"), pb.resolve("templates"), role.resolve("files"),
                pb.resolve("files/sub.txt"))) {
            Files.createDirectories(d);
        }
        write("files/a.txt", "hello\n\n");
        write("files/b.txt", "  spaced  \n");
        write("files/.hidden.txt", "h");
        write("files/conf.d/x.conf", "x");
        write("files/conf.d/y.conf", "y");
        write("top.txt", "top");
        write("templates/t.j2", "x={{ x }}\n");
        write("roles/web/files/a.txt", "from the role");
        ctx = new LookupContext(List.of(pb), pb, Map.of(), LookupContext.Renderer.NONE);
    }

    private void write(String rel, String text) throws Exception {
        Files.writeString(pb.resolve(rel), text);
    }

    private List<Object> run(String name, Map<String, Object> options, Object... terms) throws LookupException {
        return Lookups.find(name).orElseThrow().run(Arrays.asList(terms), options, ctx);
    }

    private String path(String rel) {
        return pb.resolve(rel).toString();
    }

    @Test
    void aFileOverTheLimitIsRefusedBeforeItIsRead() throws Exception {
        // Sparse: 17 MiB long, no disk used. Read whole, it would be 17 MiB of heap, more than a template may
        // build from it.
        try (var f = new java.io.RandomAccessFile(pb.resolve("files/huge.bin").toFile(), "rw")) {
            f.setLength(Lookup.MAX_TEXT_BYTES + (1 << 20));
        }
        Files.writeString(pb.resolve("files/huge.csv"), "");
        assertThatThrownBy(() -> run("file", Map.of(), "huge.bin")).isInstanceOf(LookupException.class)
                .hasMessageContaining("huge.bin").hasMessageContaining("is " + (Lookup.MAX_TEXT_BYTES + (1 << 20))
                        + " bytes, over the limit of 16 MiB");
        assertThatThrownBy(() -> run("template", Map.of(), "files/huge.bin")).isInstanceOf(LookupException.class)
                .hasMessageContaining("over the limit of 16 MiB");
    }

    @Test
    void fileReadsFromFilesThenTheDirectoryItself() throws Exception {
        assertThat(run("file", Map.of(), "a.txt")).containsExactly("hello");
        assertThat(run("file", Map.of(), "top.txt", "files/b.txt")).containsExactly("top", "  spaced");
        assertThat(run("file", Map.of("lstrip", true), "b.txt")).containsExactly("spaced");
        assertThat(run("file", Map.of("rstrip", false), "b.txt")).containsExactly("  spaced  \n");
        assertThat(run("file", Map.of(), path("files/a.txt"))).containsExactly("hello");
        assertThatThrownBy(() -> run("file", Map.of(), "nope.txt")).isInstanceOf(LookupException.class)
                .hasMessageContaining("could not locate file in lookup: nope.txt");
        assertThatThrownBy(() -> run("file", Map.of(), "sub.txt")).hasMessageContaining("could not locate file");
    }

    @Test
    void aRoleDirectoryComesBeforeThePlaybook() throws Exception {
        ctx = new LookupContext(List.of(role), pb, Map.of(), LookupContext.Renderer.NONE);
        assertThat(run("file", Map.of(), "a.txt")).containsExactly("from the role");
        assertThat(run("file", Map.of(), "b.txt")).containsExactly("  spaced"); // falls back to the playbook
        LookupContext fromVars = LookupContext.fromVars(
                Map.of("playbook_dir", pb.toString(), "role_path", role.toString()), LookupContext.Renderer.NONE);
        assertThat(fromVars.searchDirs()).containsExactly(role, pb);
        assertThat(fromVars.baseDir()).isEqualTo(pb);
    }

    @Test
    void fileglobMatchesFilesOnlyAndNotDotFiles() throws Exception {
        assertThat(run("fileglob", Map.of(), "*.txt")).containsExactly(path("files/a.txt"), path("files/b.txt"));
        assertThat(run("fileglob", Map.of(), "conf.d/*.conf"))
                .containsExactly(path("files/conf.d/x.conf"), path("files/conf.d/y.conf"));
        assertThat(run("fileglob", Map.of(), ".*.txt")).containsExactly(path("files/.hidden.txt"));
        assertThat(run("fileglob", Map.of(), "top.*")).containsExactly(path("top.txt"));
        assertThat(run("fileglob", Map.of(), pb + "/files/?.txt"))
                .containsExactly(path("files/a.txt"), path("files/b.txt"));
        assertThat(run("fileglob", Map.of(), "*.none", "nodir/*")).isEmpty();
    }

    @Test
    void firstFoundTakesTheFirstCandidateThatExists() throws Exception {
        assertThat(run("first_found", Map.of(), List.of("nope", "a.txt"))).containsExactly(path("files/a.txt"));
        assertThat(run("first_found", Map.of(), "nope", "top.txt")).containsExactly(path("top.txt"));
        assertThat(run("first_found", Map.of(),
                Map.of("files", List.of("x.txt", "b.txt"), "paths", List.of("files", "/nonexist"))))
                .containsExactly(path("files/b.txt"));
        assertThat(run("first_found", Map.of("files", "x.txt;b.txt,a.txt"), "ignored"))
                .containsExactly(path("files/b.txt"));
        assertThat(run("first_found", Map.of("skip", true), "nope")).isEmpty();
        assertThat(run("first_found", Map.of(), Map.of("files", "nope", "skip", true))).isEmpty();
        assertThatThrownBy(() -> run("first_found", Map.of(), "nope")).isInstanceOf(LookupException.class)
                .hasMessageContaining("No file was found when using first_found");
        assertThatThrownBy(() -> run("first_found", Map.of(), 3)).hasMessageContaining("Invalid term");
    }

    @Test
    void templateRendersThroughTheContextsRenderer() throws Exception {
        ctx = new LookupContext(List.of(pb), pb, Map.of(),
                (source, extra) -> source.replace("{{ x }}", String.valueOf(extra.getOrDefault("x", "42"))));
        assertThat(run("template", Map.of(), "t.j2")).containsExactly("x=42\n");
        assertThat(run("template", Map.of("template_vars", Map.of("x", 7)), "t.j2")).containsExactly("x=7\n");
        assertThatThrownBy(() -> run("template", Map.of(), "none.j2"))
                .hasMessageContaining("the template file none.j2 could not be found for the lookup");
        ctx = new LookupContext(List.of(pb), pb, Map.of(), LookupContext.Renderer.NONE);
        assertThatThrownBy(() -> run("template", Map.of(), "t.j2")).hasMessageContaining("no templater");
    }
}
