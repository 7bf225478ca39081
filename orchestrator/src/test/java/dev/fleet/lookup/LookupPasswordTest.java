package dev.fleet.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LookupPasswordTest {
    @TempDir
    Path pb;

    private List<Object> run(Map<String, Object> options, String term) throws LookupException {
        LookupContext ctx = new LookupContext(List.of(pb), pb, Map.of(), LookupContext.Renderer.NONE);
        return Lookups.find("password").orElseThrow().run(List.of(term), options, ctx);
    }

    @Test
    void createsTheFileOnceAndReadsItAfterwards() throws Exception {
        String first = (String) run(Map.of(), "creds/db.txt").get(0);
        assertThat(first).hasSize(20).matches("[A-Za-z0-9.,:_-]+");
        Path file = pb.resolve("creds/db.txt");
        assertThat(Files.readString(file)).isEqualTo(first + "\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        assertThat(run(Map.of(), "creds/db.txt length=5 chars=digits")).containsExactly(first);
    }

    @Test
    void lengthAndCharsShapeANewPassword() throws Exception {
        assertThat((String) run(Map.of(), "a length=8 chars=digits").get(0)).matches("[0-9]{8}");
        assertThat((String) run(Map.of(), "b length=30 chars=ascii_lowercase,,").get(0)).matches("[a-z,]{30}");
        assertThat((String) run(Map.of("length", 12, "chars", List.of("hexdigits")), "c").get(0))
                .matches("[0-9a-fA-F]{12}");
        assertThat((String) run(Map.of(), "d length=40 chars=punctuation").get(0))
                .hasSize(40).doesNotContain("\"", "'");
        assertThat(run(Map.of(), "/dev/null length=4 seed=x")).isEqualTo(run(Map.of(), "/dev/null length=4 seed=x"));
    }

    @Test
    void anExistingFileKeepsItsPasswordAndDropsASalt() throws Exception {
        Files.writeString(pb.resolve("old"), "s3cret salt=abcd\n");
        assertThat(run(Map.of(), "old")).containsExactly("s3cret");
        Files.writeString(pb.resolve("plain"), "pw with spaces  \n");
        assertThat(run(Map.of(), pb.resolve("plain").toString())).containsExactly("pw with spaces");
    }

    @Test
    void hostsAskingAtOnceGetOnePassword() throws Exception {
        try (var pool = Executors.newFixedThreadPool(8)) {
            List<Future<List<Object>>> all = new ArrayList<>();
            for (int i = 0; i < 16; i++) all.add(pool.submit(() -> run(Map.of(), "shared")));
            Object first = all.get(0).get().get(0);
            for (var f : all) assertThat(f.get()).containsExactly(first);
        }
    }

    @Test
    void mistakesAreExplained() {
        assertThatThrownBy(() -> run(Map.of(), "x bogus=1"))
                .hasMessageContaining("Unrecognized parameter given to password lookup: bogus");
        assertThatThrownBy(() -> run(Map.of(), "x length=3 stray")).hasMessageContaining("Unrecognized value");
        assertThatThrownBy(() -> run(Map.of(), "x encrypt=sha512_crypt")).hasMessageContaining("password_hash");
        assertThatThrownBy(() -> run(Map.of(), "x chars=\"\"")).hasMessageContaining("no characters");
        assertThatThrownBy(() -> run(Map.of(), "x length=ten")).hasMessageContaining("length must be an integer");
    }
}
