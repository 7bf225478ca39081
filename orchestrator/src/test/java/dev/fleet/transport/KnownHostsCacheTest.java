package dev.fleet.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownHostsCacheTest {
    private static final String KEY_A = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHUMeKrbO3OpG6e4OAy1/f9Utuk/ayqgwtT5MfdJ6rWA";
    private static final String KEY_B = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBdSFWXbUdmvh7U3dNTd8RsdKzEODPaCP2uexjHrxK+L";

    @TempDir
    Path dir;

    private static String lines(int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            sb.append("10.0.").append(i / 250).append('.').append(i % 250 + 1).append(' ')
                    .append(i % 2 == 0 ? KEY_A : KEY_B).append('\n');
        }
        return sb.toString();
    }

    @Test
    void parsesOnceForManyConnections() throws Exception {
        Path file = dir.resolve("known_hosts");
        Files.writeString(file, lines(0, 500));
        KnownHostsCache cache = new KnownHostsCache(file);
        for (int i = 0; i < 200; i++) {
            assertThat(cache.current().entries()).hasSize(500);
        }
        assertThat(cache.fullParses()).isEqualTo(1);
        assertThat(cache.current().findExistingAlgorithms("10.0.0.1", 22)).containsExactly("ssh-ed25519");
        assertThat(cache.current().findExistingAlgorithms("10.9.9.9", 22)).isEmpty();
    }

    @Test
    void appendedLinesAreParsedIncrementally() throws Exception {
        Path file = dir.resolve("known_hosts");
        Files.writeString(file, lines(0, 100));
        KnownHostsCache cache = new KnownHostsCache(file);
        assertThat(cache.current().entries()).hasSize(100);
        Files.writeString(file, lines(100, 103), StandardOpenOption.APPEND);
        bumpModified(file);
        assertThat(cache.current().entries()).hasSize(103);
        assertThat(cache.current().findExistingAlgorithms("10.0.0.103", 22)).containsExactly("ssh-ed25519");
        assertThat(cache.fullParses()).isEqualTo(1);
    }

    @Test
    void rewrittenFileIsParsedAgain() throws Exception {
        Path file = dir.resolve("known_hosts");
        Files.writeString(file, lines(0, 10));
        KnownHostsCache cache = new KnownHostsCache(file);
        assertThat(cache.current().findExistingAlgorithms("10.0.0.1", 22)).isNotEmpty();
        // ssh-keygen -R style: a line removed, so the old content is no longer a prefix.
        Files.writeString(file, lines(1, 10));
        bumpModified(file);
        assertThat(cache.current().entries()).hasSize(9);
        assertThat(cache.current().findExistingAlgorithms("10.0.0.1", 22)).isEmpty();
        assertThat(cache.fullParses()).isEqualTo(2);
    }

    @Test
    void missingFileIsEmptyAndLaterCreationIsSeen() throws Exception {
        Path file = dir.resolve("known_hosts");
        KnownHostsCache cache = new KnownHostsCache(file);
        assertThat(cache.current().entries()).isEmpty();
        Files.write(file, lines(0, 2).getBytes(StandardCharsets.UTF_8));
        assertThat(cache.current().entries()).hasSize(2);
        Files.delete(file);
        assertThat(cache.current().entries()).isEmpty();
    }

    @Test
    void lineWithoutNewlineThenCompletedIsNotDuplicated() throws Exception {
        Path file = dir.resolve("known_hosts");
        String two = lines(0, 2);
        Files.writeString(file, two.substring(0, two.length() - 1)); // last line lacks its newline
        KnownHostsCache cache = new KnownHostsCache(file);
        assertThat(cache.current().entries()).hasSize(2);
        Files.writeString(file, two + lines(2, 3));
        bumpModified(file);
        assertThat(cache.current().entries()).hasSize(3);
    }

    @Test
    void hashedEntriesMatchCorrectlyFromManyThreadsAtOnce() throws Exception {
        // Hashed entries keep an HMAC instance each; shared entries matched concurrently once failed with
        // "MAC not initialized" (seen end to end in SecurityTest).
        Path file = dir.resolve("known_hosts");
        StringBuilder sb = new StringBuilder();
        java.security.SecureRandom random = new java.security.SecureRandom();
        for (int i = 0; i < 50; i++) {
            byte[] salt = new byte[20];
            random.nextBytes(salt);
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
            mac.init(new javax.crypto.spec.SecretKeySpec(salt, "HmacSHA1"));
            byte[] hash = mac.doFinal(("10.1.0." + i).getBytes(StandardCharsets.US_ASCII));
            java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
            sb.append("|1|").append(b64.encodeToString(salt)).append('|').append(b64.encodeToString(hash))
                    .append(' ').append(KEY_A).append('\n');
        }
        Files.writeString(file, sb.toString());
        KnownHostsCache cache = new KnownHostsCache(file);
        java.util.List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            for (int t = 0; t < 400; t++) {
                int i = t % 60; // 50 known hosts, 10 unknown
                results.add(pool.submit(() -> KnownHostsVerifier.existingAlgorithms(cache.current(), "10.1.0." + i, 22)
                        .equals(i < 50 ? java.util.List.of("ssh-ed25519") : java.util.List.of())));
            }
            for (var r : results) {
                assertThat(r.get()).isTrue();
            }
        }
        assertThat(cache.fullParses()).isEqualTo(1);
    }

    /** Some file systems keep coarse timestamps; make sure the change is visible as one. */
    private static void bumpModified(Path file) throws Exception {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
    }
}
