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
    private final boolean overlay;
    private Path dir;
    private SshdFixture fixture;

    public SshdLab(int hostCount) {
        this(hostCount, false);
    }

    private SshdLab(int hostCount, boolean overlay) {
        this.hostCount = hostCount;
        this.overlay = overlay;
    }

    /**
     * A lab whose hosts' roots are overlays of this machine's root ({@link SshdFixture#startOverlay}), for tests
     * of modules that change the system; skips the class where that cannot run (not root, no overlayfs).
     */
    public static SshdLab overlay(int hostCount) {
        return new SshdLab(hostCount, true);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        assumeTrue(SshdFixture.sshdAvailable(), "sshd not installed");
        if (overlay) assumeTrue(SshdFixture.overlayAvailable(), "overlay lab hosts need root and overlayfs");
        dir = Files.createTempDirectory("fleet-lab-");
        fixture = overlay ? SshdFixture.startOverlay(dir, hostCount) : SshdFixture.start(dir, hostCount);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (fixture != null) fixture.close();
        if (dir != null && Files.exists(dir)) {
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

    /** Starts a stopped host again {@code after} from now, on another thread; the future ends once it is up. */
    public java.util.concurrent.CompletableFuture<Void> restartAfter(String name, java.time.Duration after) {
        return java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(after);
                fixture.restart(name);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Overlay labs only: a fresh copy of this machine's root for the host (see {@link SshdFixture#reset}). */
    public void reset(String name) {
        fixture.reset(name);
    }

    /** Overlay labs only: resets every host. */
    public void resetAll() {
        for (LabHost h : hosts()) fixture.reset(h.name());
    }

    /** Overlay labs only: what the host wrote over this machine's root. */
    public Path upperDir(String name) {
        return fixture.upperDir(name);
    }

    public boolean running(String name) {
        return fixture.running(name);
    }
}
