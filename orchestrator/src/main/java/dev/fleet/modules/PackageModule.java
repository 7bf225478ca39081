package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.transport.TransportException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code package}: the generic package module. As Ansible's action plugin, it hands every argument but
 * {@code use} to the host's package manager module: the one {@code use} names, else the one the facts name
 * ({@code ansible_facts.pkg_mgr}), else the one found on the host. fleet has apt only.
 */
final class PackageModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.raw("name"), Arg.str("state"), Arg.str("use").defaultsTo("auto"))
            .anyName()
            .build();

    private final Module apt;

    PackageModule(Module apt) {
        this.apt = apt;
    }

    public String name() {
        return "package";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException {
        String manager = ctx.str("use");
        if (manager.equals("auto")) manager = fromFacts(ctx.vars());
        if (manager == null) {
            manager = ctx.session().exec("command -v apt-get >/dev/null 2>&1 && echo apt", ctx.timeout())
                    .stdout().strip();
        }
        if (manager.isEmpty() || manager.equals("auto") || manager.equals("unknown")) {
            return TaskOutcome.failed("Could not detect which package manager to use. Try gathering facts or"
                    + " setting the \"use\" option.");
        }
        if (!manager.equals("apt") && !manager.equals("ansible.builtin.apt") && !manager.equals("ansible.legacy.apt")) {
            return TaskOutcome.failed("Could not find a module for " + manager + ".");
        }
        Map<String, Object> args = new LinkedHashMap<>(ctx.args());
        args.remove("use");
        return apt.run(new ModuleContext(ctx.session(), args, ctx.check(), ctx.diff(), ctx.timeout(), ctx.vars(),
                ctx.templater(), ctx.playbookDir()));
    }

    /** The package manager the gathered facts name, or null. */
    private static String fromFacts(Map<String, Object> vars) {
        if (vars == null) return null;
        if (vars.get("ansible_facts") instanceof Map<?, ?> facts && facts.get("pkg_mgr") != null) {
            return String.valueOf(facts.get("pkg_mgr"));
        }
        Object direct = vars.get("ansible_pkg_mgr");
        return direct == null ? null : String.valueOf(direct);
    }
}
