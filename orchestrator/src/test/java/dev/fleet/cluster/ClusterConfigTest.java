package dev.fleet.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleet.yaml.ParseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterConfigTest {
    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        for (String f : new String[] {"n.key", "n.crt", "ca.crt"}) Files.writeString(dir.resolve(f), "pem");
        Path file = dir.resolve("c.yml");
        Files.writeString(file, yaml);
        return file;
    }

    private static final String CLUSTER = """
            cluster:
              address: 127.0.0.3
              members: [127.0.0.2:5701, 127.0.0.3:5701]
              tls: {key: n.key, cert: n.crt, ca: ca.crt}
            """;

    @Test
    void readsAWorkerWithDefaultsAndPathsRelativeToTheFile() throws Exception {
        ClusterConfig c = ClusterConfig.load(write(CLUSTER + "worker:\n  id: w-1\n  group: dc1\n"));
        assertThat(c.port()).isEqualTo(5701);
        assertThat(c.busPort()).isEqualTo(5801);
        assertThat(c.name()).isEqualTo("fleet");
        assertThat(c.tls().ca()).isEqualTo(dir.resolve("ca.crt"));
        assertThat(c.worker().id()).isEqualTo("w-1");
        assertThat(c.worker().group()).isEqualTo("dc1");
        assertThat(c.worker().forks()).isEqualTo(256);
    }

    @Test
    void aCoordinatorHasNoWorkerSection() throws Exception {
        assertThat(ClusterConfig.load(write(CLUSTER)).worker()).isNull();
    }

    @Test
    void refusesTheWildcardAddress() throws Exception {
        Path f = write(CLUSTER.replace("127.0.0.3\n", "0.0.0.0\n"));
        assertThatThrownBy(() -> ClusterConfig.load(f)).isInstanceOf(ParseException.class)
                .hasMessageContaining("not 0.0.0.0");
    }

    @Test
    void namesAnUnknownKeyAndTheKnownOnes() throws Exception {
        Path f = write(CLUSTER + "  multicast: true\n");
        assertThatThrownBy(() -> ClusterConfig.load(f)).hasMessageContaining("unknown key 'multicast' in cluster")
                .hasMessageContaining("members").hasMessageStartingWith(f + ":5:3: ");
    }

    @Test
    void namesAMissingTlsFile() throws Exception {
        Path f = write(CLUSTER.replace("ca: ca.crt", "ca: nope.crt"));
        assertThatThrownBy(() -> ClusterConfig.load(f)).hasMessageContaining("cluster.tls.ca: cannot read");
    }

    @Test
    void needsMembers() throws Exception {
        Path f = write(CLUSTER.replace("  members: [127.0.0.2:5701, 127.0.0.3:5701]\n", ""));
        assertThatThrownBy(() -> ClusterConfig.load(f)).hasMessageContaining("cluster.members must list");
    }
}
