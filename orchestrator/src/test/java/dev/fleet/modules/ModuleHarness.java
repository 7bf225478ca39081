package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.template.JinjaTemplater;
import dev.fleet.template.Templater;
import dev.fleet.testing.FakeHostSession;
import dev.fleet.yaml.ParseException;
import dev.fleet.yaml.SourcePosition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one module as the engine does, against a {@link FakeHostSession}: arguments are normalised through
 * {@link ModuleRegistry#builtin()} (as the playbook parser does), then the module runs with a
 * {@link ModuleContext}. This is the ONLY place the host-free module tests build a context or normalise
 * arguments, so that a change of that API (typed argument specs) means changing this class alone.
 *
 * <p>Arguments are given as they are after templating; free-form text ({@code command: ls chdir=/tmp}) goes
 * through {@link Task#freeForm}.
 */
final class ModuleHarness {
    /** The per-task timeout every run gets, unless {@link Task#timeout} says otherwise. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static final ModuleRegistry REGISTRY = ModuleRegistry.builtin();

    /** The engine's templater, built on first use (it takes a while to start). */
    private static final class Jinja {
        static final Templater TEMPLATER = new JinjaTemplater();
    }

    private ModuleHarness() {}

    /** An argument map in the order given: {@code args("path", "/etc/hosts", "mode", "0644")}. */
    static Map<String, Object> args(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return m;
    }

    /** Runs {@code module} with {@code args}, no check mode, no diff, no variables. */
    static TaskOutcome run(FakeHostSession host, String module, Map<String, Object> args) throws Exception {
        return task(module, args).on(host);
    }

    /** As {@link #run}, under {@code --check}. */
    static TaskOutcome check(FakeHostSession host, String module, Map<String, Object> args) throws Exception {
        return task(module, args).check().on(host);
    }

    /** As {@link #run}, under {@code --diff}. */
    static TaskOutcome diff(FakeHostSession host, String module, Map<String, Object> args) throws Exception {
        return task(module, args).diff().on(host);
    }

    /** A run to configure: check mode, diff, variables, playbook directory, timeout, free-form text. */
    static Task task(String module, Map<String, Object> args) {
        return new Task(module, args);
    }

    /**
     * Why a task is refused, whether it is refused while its arguments are checked (before any host is touched)
     * or by the module when it runs: the message without any source position. Fails if the task is accepted.
     */
    static String rejection(FakeHostSession host, String module, Map<String, Object> args) throws Exception {
        return task(module, args).rejection(host);
    }

    static final class Task {
        private final String module;
        private final Map<String, Object> args;
        private Object freeForm;
        private boolean check;
        private boolean diff;
        private Map<String, Object> vars = Map.of();
        private Path playbookDir = Path.of(".");
        private Duration timeout = TIMEOUT;

        private Task(String module, Map<String, Object> args) {
            this.module = module;
            this.args = new LinkedHashMap<>(args);
        }

        /** The text under the module key ({@code command: echo hi chdir=/tmp}); {@code args} become {@code args:}. */
        Task freeForm(String text) {
            this.freeForm = text;
            return this;
        }

        Task check() {
            this.check = true;
            return this;
        }

        Task diff() {
            this.diff = true;
            return this;
        }

        Task vars(Map<String, Object> vars) {
            this.vars = vars;
            return this;
        }

        Task playbookDir(Path dir) {
            this.playbookDir = dir;
            return this;
        }

        Task timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** The module's outcome; a refused task throws (ParseException or ModuleException). */
        TaskOutcome on(FakeHostSession host) throws Exception {
            String name = REGISTRY.canonicalName(module)
                    .orElseThrow(() -> new IllegalArgumentException("no module " + module));
            Map<String, Object> normalized = REGISTRY.normalizeArgs(name, freeForm, args,
                    SourcePosition.of("test.yml"), true);
            return REGISTRY.get(name).run(new ModuleContext(host, normalized, check, diff, timeout, vars,
                    Jinja.TEMPLATER, playbookDir));
        }

        /** See {@link ModuleHarness#rejection}. */
        String rejection(FakeHostSession host) throws Exception {
            TaskOutcome o;
            try {
                o = on(host);
            } catch (ParseException e) {
                return e.problem();
            } catch (ModuleException e) {
                return e.getMessage();
            }
            throw new AssertionError("expected " + module + " " + args + " to be refused, but it ran: " + o);
        }
    }
}
