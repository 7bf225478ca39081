package dev.fleet.modules;

import dev.fleet.playbook.ModuleCatalog;
import dev.fleet.yaml.ParseException;
import dev.fleet.yaml.SourcePosition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The one place modules are registered. Names resolve with or without {@code ansible.builtin.}. */
public final class ModuleRegistry implements ModuleCatalog {
    private static final List<String> PREFIXES = List.of("ansible.builtin.", "ansible.legacy.");

    private final Map<String, Module> modules = new LinkedHashMap<>();

    private ModuleRegistry(List<Module> list) {
        for (Module m : list) modules.put(m.name(), m);
    }

    /** All modules fleet ships. */
    public static ModuleRegistry builtin() {
        return new ModuleRegistry(List.of(new CommandModule(), new ShellModule(), new PingModule(),
                new SetupModule(), new ServiceModule("service"), new ServiceModule("systemd"),
                new ServiceModule("systemd_service"), new WaitForModule(), new UriModule(), new DebugModule(),
                new AssertModule(), new FailModule(), new SetFactModule(), new StatModule(), new LineinfileModule(),
                new BlockinfileModule(), new CopyModule(), new TemplateModule(),
                new FileModule(), new ReplaceModule(), new SlurpModule(), new RawModule(), new TempfileModule(),
                new FindModule(), new FetchModule(), new ScriptModule(), new GetentModule(), new PauseModule()));
    }

    public Module get(String canonicalName) {
        Module m = modules.get(canonicalName);
        if (m == null) throw new IllegalArgumentException("no module " + canonicalName);
        return m;
    }

    @Override
    public Optional<String> canonicalName(String key) {
        String name = key;
        for (String p : PREFIXES) {
            if (key.startsWith(p)) name = key.substring(p.length());
        }
        return modules.containsKey(name) ? Optional.of(name) : Optional.empty();
    }

    @Override
    public Set<String> names() {
        return modules.keySet();
    }

    @Override
    public Map<String, Object> normalizeArgs(String module, Object raw, Map<String, Object> extraArgs,
            SourcePosition at, boolean checkValues) throws ParseException {
        ArgSpec spec = get(module).spec();
        try {
            Map<String, Object> args = spec.collect(raw, extraArgs);
            if (checkValues) spec.checkLiterals(args);
            // Unchecked and unconverted: templates are rendered at run time, then Module.run checks the result.
            return args;
        } catch (ModuleException e) {
            throw new ParseException(at, "module '" + module + "': " + e.getMessage());
        }
    }
}
