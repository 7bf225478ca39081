package dev.fleet.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlaybookArchiveTest {
    @TempDir
    Path dir;

    @Test
    void shipsThePlaybookDirectoryAndExtraRootsUnderTheirNames() throws Exception {
        Path pb = dir.resolve("pb");
        Files.createDirectories(pb.resolve("templates"));
        Files.writeString(pb.resolve("site.yml"), "- hosts: all\n");
        Files.writeString(pb.resolve("templates/a.j2"), "{{ x }}");
        Files.createDirectories(pb.resolve(".git"));
        Files.writeString(pb.resolve(".git/config"), "[core]");
        Path role = dir.resolve("shared/web");
        Files.createDirectories(role.resolve("tasks"));
        Files.writeString(role.resolve("tasks/main.yml"), "- debug: msg=hi\n");

        byte[] zip = PlaybookArchive.pack(pb, Map.of("roles_path/0/web", role));
        Path out = dir.resolve("out");
        PlaybookArchive.unpack(zip, out);

        assertThat(out.resolve("playbook/site.yml")).hasContent("- hosts: all");
        assertThat(out.resolve("playbook/templates/a.j2")).hasContent("{{ x }}");
        assertThat(out.resolve("playbook/.git")).doesNotExist();
        assertThat(out.resolve("roles_path/0/web/tasks/main.yml")).hasContent("- debug: msg=hi");
    }

    @Test
    void unpackingRefusesAnEntryThatWouldLandOutsideTheDirectory() throws Exception {
        Path out = dir.resolve("run");
        for (String evil : new String[] {"../escaped.txt", "playbook/../../escaped.txt", "/tmp/abs-escaped.txt"}) {
            byte[] zip = zip(Map.of("playbook/ok.yml", "ok", evil, "pwned"));
            assertThatThrownBy(() -> PlaybookArchive.unpack(zip, out)).isInstanceOf(IOException.class)
                    .hasMessageContaining("outside its directory").hasMessageContaining(evil);
        }
        assertThat(dir.resolve("escaped.txt")).doesNotExist();
        assertThat(Path.of("/tmp/abs-escaped.txt")).doesNotExist();
    }

    @Test
    void unpackingStopsAtTheSizeBound() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            z.putNextEntry(new ZipEntry("playbook/big"));
            byte[] mib = new byte[1024 * 1024];
            for (long i = 0; i <= PlaybookArchive.MAX_BYTES / mib.length; i++) z.write(mib); // compresses to little
            z.closeEntry();
        }
        assertThatThrownBy(() -> PlaybookArchive.unpack(bytes.toByteArray(), dir.resolve("big")))
                .hasMessageContaining("over " + PlaybookArchive.MAX_BYTES + " bytes");
    }

    private static byte[] zip(Map<String, String> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (var e : new java.util.TreeMap<>(entries).entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
