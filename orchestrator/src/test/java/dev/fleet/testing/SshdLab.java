package dev.fleet.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fleet.testing.SshdFixture.LabHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's own lab of real sshd hosts, started once before its tests and stopped after them:
 * {@code @RegisterExtension static final SshdLab lab = new SshdLab(4);}. Skips the class where sshd is not
 * installed. Read it like the {@link SshdFixture} it wraps.
 */
public final class SshdLab implements BeforeAllCallback, AfterAllCallback {
    private final int hostCount;
    private Path dir;
    private SshdFixture fixture;

    public SshdLab(int hostCount) {
        this.hostCount = hostCount;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        assumeTrue(SshdFixture.sshdAvailable(), "sshd not installed");
        dir = Files.createTempDirectory("fleet-lab-");
        fixture = SshdFixture.start(dir, hostCount);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (fixture != null) fixture.close();
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    public SshdFixture fixture() {
        return fixture;
    }

    public List<LabHost> hosts() {
        return fixture.hosts();
    }

    public LabHost host(String name) {
        return fixture.host(name);
    }

    public Path privateKey() {
        return fixture.privateKey();
    }

    public Path authorizedKeys() {
        return fixture.authorizedKeys();
    }

    public Path hostKeyFile(String name) {
        return fixture.hostKeyFile(name);
    }

    public Path knownHosts() {
        return fixture.knownHosts();
    }

    public Path inventory() {
        return fixture.inventory();
    }

    public String user() {
        return fixture.user();
    }

    public Path workDir() {
        return fixture.workDir();
    }

    public Path log(String name) {
        return fixture.log(name);
    }

    public void stop(String name) {
        fixture.stop(name);
    }

    public void restart(String name) {
        fixture.restart(name);
    }

    public boolean running(String name) {
        return fixture.running(name);
    }
}
