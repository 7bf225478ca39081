package dev.fleet.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.fleet.testing.FleetCli;
import dev.fleet.testing.SshdFixture;
import dev.fleet.testing.SshdFixture.LabHost;
import dev.fleet.testing.SshdLab;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compatibility suite: every playbook under the repository's {@code compat/<target>/} directory is run against
 * a 2-host lab of real sshd processes, through fleet (in-process) and, when {@code ansible-playbook} is on the
 * PATH, through Ansible too. Each playbook checks itself with {@code assert}; it passes when the run exits with
 * the code it expects (0, or its {@code # compat: expect-rc=N} line). {@code # compat: args=...} lines add
 * command-line options (split on blanks) to both tools; every run gets {@code -e compat_dir=DIR}, a directory of
 * its own. A playbook expecting a non-zero exit must create {@code compat_dir/verified} in its last task.
 *
 * <p>Ansible is the spec: every playbook must pass under ansible-playbook. fleet must pass every playbook except
 * those listed in {@code compat/fleet-known-gaps.txt}, and each of those must still fail under fleet: fixing a gap
 * fails this test until its line is removed (a ratchet).
 *
 * <p>A playbook with a {@code # compat: system} line changes the system (packages, users, /etc, the hostname): it
 * runs on 2 overlay lab hosts ({@link SshdFixture#startOverlay}: their roots are overlays of this machine's, so
 * nothing reaches the machine), reset before every such playbook: fleet's lab runs them one at a time, Ansible's
 * {@value #ANSIBLE_SYSTEM_LABS} labs one each at a time.
 * Where overlay hosts cannot run (not root, no overlayfs) those playbooks are skipped.
 *
 * <p>{@code -Dcompat.only=apt,user/create.yml} runs only the targets or playbooks named (comma-separated).
 */
class CompatibilitySuiteTest {

    @RegisterExtension
    static final SshdLab lab = new SshdLab(2);

    @TempDir
    static Path work;

    private static final int ANSIBLE_PARALLEL = 4;
    private static final long ANSIBLE_TIMEOUT_S = 240;
    private static final long FLEET_TIMEOUT_S = 120;

    private static ExecutorService ansiblePool;
    private static final ExecutorService fleetThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "compat-fleet");
        t.setDaemon(true);
        return t;
    });

    /** {@code system}: the playbook changes the system and runs on fresh overlay hosts (see the class comment). */
    record Playbook(String name, Path file, List<String> args, int expectedRc, boolean system) {}

    /** Overlay labs for the system playbooks, one per tool, each reset before every such playbook. */
    private static SshdFixture fleetSystemLab;
    /** Ansible is slow, so its system playbooks run on several overlay labs at once, each lab one at a time. */
    private static final int ANSIBLE_SYSTEM_LABS = 3;
    private static final java.util.concurrent.BlockingQueue<SystemLab> ansibleSystemLabs =
            new java.util.concurrent.LinkedBlockingQueue<>();
    private static ExecutorService ansibleSystemPool;

    /** An overlay lab for Ansible and its inventory. */
    private record SystemLab(SshdFixture hosts, Path inventory) {}

    /** How a run ended: exit code, whether it passed (see {@link #passed}) and its output. */
    record Outcome(int rc, boolean passed, String log) {}

    /**
     * A run passes when it exits with the expected code; a playbook that expects a non-zero exit must also have
     * created {@code compat_dir/verified} in its last task, so that a failing check cannot pass as the expected
     * failure.
     */
    private static Outcome outcome(Playbook p, Path dir, int rc, String log) {
        boolean verified = p.expectedRc() == 0 || Files.exists(dir.resolve("verified"));
        String note = rc == p.expectedRc() && !verified
                ? "exit " + rc + " as expected, but the playbook did not reach its last task (no compat_dir/verified)\n"
                : "";
        return new Outcome(rc, rc == p.expectedRc() && verified, note + log);
    }

    @AfterAll
    static void shutdown() {
        if (ansiblePool != null) ansiblePool.shutdownNow();
        if (ansibleSystemPool != null) ansibleSystemPool.shutdownNow();
        fleetThread.shutdownNow();
        if (fleetSystemLab != null) fleetSystemLab.close();
        ansibleSystemLabs.forEach(l -> l.hosts().close());
    }

    @TestFactory
    Stream<DynamicTest> compatibility() throws Exception {
        Path compat = compatDir();
        List<Playbook> all = playbooks(compat);
        Map<String, String> gaps = knownGaps(compat.resolve("fleet-known-gaps.txt"));
        for (String gap : gaps.keySet()) {
            assertTrue(all.stream().anyMatch(p -> p.name().equals(gap)),
                    "compat/fleet-known-gaps.txt names " + gap + ", which is not a playbook under compat/");
        }
        boolean overlay = SshdFixture.overlayAvailable();
        List<Playbook> skipped = all.stream().filter(p -> p.system() && !overlay).toList();
        List<Playbook> playbooks = all.stream().filter(p -> selected(p) && !skipped.contains(p)).toList();
        gaps.keySet().retainAll(playbooks.stream().map(Playbook::name).toList());
        Optional<Path> ansible = onPath("ansible-playbook");
        Map<String, Future<Outcome>> ansibleRuns = new LinkedHashMap<>();
        long start = System.nanoTime();
        if (playbooks.stream().anyMatch(Playbook::system)) {
            fleetSystemLab = SshdFixture.startOverlay(work.resolve("system-lab-fleet"), 2);
            if (ansible.isPresent()) {
                for (int i = 0; i < ANSIBLE_SYSTEM_LABS; i++) {
                    SshdFixture hosts = SshdFixture.startOverlay(work.resolve("system-lab-ansible-" + i), 2);
                    ansibleSystemLabs.add(new SystemLab(hosts,
                            ansibleInventory(hosts, "ansible-system-inventory-" + i + ".ini")));
                }
                ansibleSystemPool = Executors.newFixedThreadPool(ANSIBLE_SYSTEM_LABS);
            }
        }
        if (ansible.isPresent()) {
            Path inventory = ansibleInventory(lab.fixture(), "ansible-inventory.ini");
            ansiblePool = Executors.newFixedThreadPool(ANSIBLE_PARALLEL);
            for (Playbook p : playbooks) {
                ansibleRuns.put(p.name(), p.system()
                        ? ansibleSystemPool.submit(() -> {
                            SystemLab l = ansibleSystemLabs.take();
                            try {
                                resetAll(l.hosts());
                                return runAnsible(ansible.get(), l.inventory(), l.hosts(), p);
                            } finally {
                                ansibleSystemLabs.add(l);
                            }
                        })
                        : ansiblePool.submit(() -> runAnsible(ansible.get(), inventory, lab.fixture(), p)));
            }
        }
        AtomicInteger fleetPassed = new AtomicInteger();
        AtomicInteger ansiblePassed = new AtomicInteger();
        List<DynamicTest> tests = new ArrayList<>();
        for (Playbook p : playbooks) {
            tests.add(DynamicTest.dynamicTest(p.name(), p.file().toUri(), () -> {
                Outcome fleet = runFleet(p);
                if (fleet.passed()) fleetPassed.incrementAndGet();
                Outcome ans = null;
                if (ansible.isPresent()) {
                    ans = ansibleRuns.get(p.name()).get();
                    if (ans.passed()) ansiblePassed.incrementAndGet();
                }
                List<String> problems = new ArrayList<>();
                if (ans != null && !ans.passed()) {
                    problems.add("ansible-playbook exited " + ans.rc() + ", expected " + p.expectedRc()
                            + ": the playbook does not describe Ansible's behaviour; fix the playbook\n" + ans.log());
                }
                String gap = gaps.get(p.name());
                if (gap == null && !fleet.passed()) {
                    problems.add("fleet exited " + fleet.rc() + ", expected " + p.expectedRc()
                            + " (not listed in compat/fleet-known-gaps.txt)\n" + fleet.log());
                } else if (gap != null && fleet.passed()) {
                    problems.add("fleet now passes " + p.name() + ": remove its line from compat/fleet-known-gaps.txt"
                            + " (was: " + gap + ")");
                }
                if (!problems.isEmpty()) fail(String.join("\n\n", problems));
            }));
        }
        tests.add(DynamicTest.dynamicTest("summary", () -> {
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            String line = "compat: fleet passes " + fleetPassed.get() + " of " + playbooks.size() + " playbooks ("
                    + gaps.size() + " known gaps); "
                    + (ansible.isPresent()
                            ? "ansible-playbook passes " + ansiblePassed.get() + " of " + playbooks.size()
                            : "ansible-playbook not on the PATH, not run")
                    + (skipped.isEmpty() ? "" : "; " + skipped.size() + " system playbooks skipped (no overlay hosts"
                            + " here: they need root and overlayfs)")
                    + " (" + seconds + "s)";
            System.out.println(line);
            assertEquals(playbooks.size() - gaps.size(), fleetPassed.get(), line);
            if (ansible.isPresent()) assertEquals(playbooks.size(), ansiblePassed.get(), line);
        }));
        return tests.stream();
    }

    // ------------------------------------------------------------------ fleet

    private static Outcome runFleet(Playbook p) throws Exception {
        Path dir = runDir(p, "fleet");
        List<String> options = new ArrayList<>(List.of("--no-history", "-e", "compat_dir=" + dir));
        options.addAll(p.args());
        SshdFixture hosts = p.system() ? fleetSystemLab : lab.fixture();
        FleetCli cli = new FleetCli(dir.getParent(), hosts.inventory(), hosts.knownHosts());
        Future<FleetCli.Run> run = fleetThread.submit(() -> {
            if (p.system()) resetAll(hosts);
            return cli.runFile(p.file(), options.toArray(String[]::new));
        });
        try {
            FleetCli.Run r = run.get(FLEET_TIMEOUT_S, TimeUnit.SECONDS);
            return outcome(p, dir, r.exit(), "fleet exit " + r.exit() + "\n" + r.out() + "\n" + r.err());
        } catch (TimeoutException e) {
            run.cancel(true);
            return new Outcome(-1, false, "fleet did not finish within " + FLEET_TIMEOUT_S + "s");
        }
    }

    // ------------------------------------------------------------------ ansible-playbook

    /** An INI inventory for Ansible naming the lab hosts, their ports, user and key. */
    private static Path ansibleInventory(SshdFixture hosts, String name) throws IOException {
        StringBuilder ini = new StringBuilder("[lab]\n");
        for (LabHost h : hosts.hosts()) {
            ini.append(h.name()).append(" ansible_host=").append(h.address()).append(" ansible_port=")
                    .append(h.port()).append(" ansible_user=").append(hosts.user())
                    .append(" ansible_ssh_private_key_file=").append(hosts.privateKey()).append('\n');
        }
        ini.append("\n[all:vars]\nansible_python_interpreter=/usr/bin/python3\n");
        Path file = work.resolve(name);
        Files.writeString(file, ini.toString());
        return file;
    }

    private static void resetAll(SshdFixture hosts) {
        for (LabHost h : hosts.hosts()) hosts.reset(h.name());
    }

    /** {@code -Dcompat.only=target,target/playbook.yml}: whether {@code p} is one of those named (all if unset). */
    private static boolean selected(Playbook p) {
        String only = System.getProperty("compat.only", "").strip();
        if (only.isEmpty()) return true;
        return Arrays.stream(only.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .anyMatch(s -> p.name().equals(s) || p.name().startsWith(s.endsWith("/") ? s : s + "/"));
    }

    private static Outcome runAnsible(Path ansiblePlaybook, Path inventory, SshdFixture hosts, Playbook p)
            throws Exception {
        Path dir = runDir(p, "ansible");
        Path home = Files.createDirectories(work.resolve("ansible-home"));
        Path cp = Files.createDirectories(work.resolve("cp"));
        Path log = dir.resolveSibling(dir.getFileName() + ".log");
        List<String> cmd = new ArrayList<>(List.of(ansiblePlaybook.toString(), "-i", inventory.toString(), "-e",
                "compat_dir=" + dir));
        cmd.addAll(p.args());
        cmd.add(p.file().toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(p.file().getParent().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.put("ANSIBLE_HOME", home.toString());
        env.put("ANSIBLE_LOCAL_TEMP", home.resolve("tmp").toString());
        env.put("ANSIBLE_REMOTE_TEMP", work.resolve("ansible-remote-tmp").toString());
        env.put("ANSIBLE_HOST_KEY_CHECKING", "True");
        env.put("ANSIBLE_SSH_ARGS", "-o UserKnownHostsFile=" + hosts.knownHosts()
                + " -o StrictHostKeyChecking=yes -o ControlMaster=auto -o ControlPersist=10s");
        env.put("ANSIBLE_SSH_CONTROL_PATH_DIR", cp.toString());
        env.put("ANSIBLE_PIPELINING", "True");
        env.put("ANSIBLE_NOCOLOR", "1");
        env.put("ANSIBLE_RETRY_FILES_ENABLED", "False");
        env.put("ANSIBLE_GATHERING", "explicit");
        env.put("ANSIBLE_CONFIG", work.resolve("no-ansible.cfg").toString());
        env.remove("ANSIBLE_INVENTORY");
        Process process = pb.start();
        if (!process.waitFor(ANSIBLE_TIMEOUT_S, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Outcome(-1, false, "ansible-playbook did not finish within " + ANSIBLE_TIMEOUT_S + "s\n"
                    + Files.readString(log));
        }
        return outcome(p, dir, process.exitValue(), Files.readString(log));
    }

    // ------------------------------------------------------------------ the suite's files

    /** The repository's compat/ directory; surefire runs in orchestrator/, a plain IDE run may use the root. */
    static Path compatDir() {
        Path cwd = Path.of("").toAbsolutePath();
        for (Path p = cwd; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("compat")) && Files.exists(p.resolve("compat/fleet-known-gaps.txt"))) {
                return p.resolve("compat");
            }
        }
        throw new IllegalStateException("no compat/ directory above " + cwd);
    }

    /** compat/&lt;target&gt;/&lt;behaviour&gt;.yml, sorted, with their {@code # compat:} directives. */
    static List<Playbook> playbooks(Path compat) throws IOException {
        List<Playbook> out = new ArrayList<>();
        try (Stream<Path> targets = Files.list(compat)) {
            for (Path target : targets.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> files = Files.list(target)) {
                    for (Path f : files.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
                        List<String> args = new ArrayList<>();
                        int rc = 0;
                        boolean system = false;
                        for (String line : Files.readAllLines(f)) {
                            if (line.strip().equals("# compat: system")) system = true;
                            if (line.startsWith("# compat: args=")) {
                                args.addAll(Arrays.asList(line.substring("# compat: args=".length()).trim()
                                        .split("\\s+")));
                            } else if (line.startsWith("# compat: expect-rc=")) {
                                rc = Integer.parseInt(line.substring("# compat: expect-rc=".length()).trim());
                            }
                        }
                        out.add(new Playbook(compat.relativize(f).toString(), f.toAbsolutePath(), List.copyOf(args),
                                rc, system));
                    }
                }
            }
        }
        assertNotEquals(0, out.size(), "no playbooks under " + compat);
        return out;
    }

    /** {@code target/name.yml: reason} per line; blank lines and # comments ignored. */
    static Map<String, String> knownGaps(Path file) throws IOException {
        Map<String, String> gaps = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) continue;
            int colon = l.indexOf(": ");
            if (colon < 0) throw new IllegalStateException("fleet-known-gaps.txt: want 'path: reason', got: " + l);
            gaps.put(l.substring(0, colon).strip(), l.substring(colon + 2).strip());
        }
        return gaps;
    }

    private static Path runDir(Playbook p, String tool) throws IOException {
        return Files.createDirectories(work.resolve(tool).resolve(p.name().replace(".yml", "").replace('/', '-')));
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        return Arrays.stream(path.split(File.pathSeparator)).map(d -> Path.of(d, program))
                .filter(Files::isExecutable).findFirst();
    }
}
