package dev.fleet.modules;

import dev.fleet.playbook.ModuleCatalog;
import dev.fleet.yaml.ParseException;
import dev.fleet.yaml.SourcePosition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one place modules are registered. Names resolve with or without {@code ansible.builtin.} (or the module's
 * own {@link Module#collection()}, e.g. {@code community.general.ini_file}).
 */
public final class ModuleRegistry implements ModuleCatalog {
    private static final List<String> PREFIXES = List.of("ansible.builtin.", "ansible.legacy.");

    private final Map<String, Module> modules = new LinkedHashMap<>();

    private ModuleRegistry(List<Module> list) {
        for (Module m : list) modules.put(m.name(), m);
    }

    /** All modules fleet ships. */
    public static ModuleRegistry builtin() {
        List<Module> all = new ArrayList<>();
        // commands and control
        all.addAll(List.of(new CommandModule(), new ShellModule(), new RawModule(), new ScriptModule(),
                new PingModule(), new SetupModule(), new DebugModule(), new AssertModule(), new FailModule(),
                new SetFactModule(), new PauseModule(), new WaitForModule()));
        // control: argument specs, stats, connections, reboots
        all.addAll(List.of(new ValidateArgumentSpecModule(), new SetStatsModule(), new WaitForConnectionModule(),
                new RebootModule()));

        // services
        all.add(new ServiceModule());
        // services and facts about the system
        all.addAll(List.of(new ServiceFactsModule(), new PackageFactsModule(), new SysvinitModule(),
                new SystemdModule("systemd"), new SystemdModule("systemd_service")));

        // files
        all.addAll(List.of(new StatModule(), new LineinfileModule(), new BlockinfileModule(), new CopyModule(),
                new TemplateModule(), new FileModule(), new ReplaceModule(), new SlurpModule(), new TempfileModule(),
                new FindModule(), new FetchModule()));
        // files: downloads and archives
        all.addAll(List.of(new GetUrlModule(), new UnarchiveModule(), new AssembleModule()));

        // files: settings files and keys
        all.addAll(List.of(new IniFileModule(), new KnownHostsModule(), new AuthorizedKeyModule(),
                new TimezoneModule(), new LocaleGenModule()));

        // network
        all.addAll(List.of(new UriModule(), new GetentModule()));
        // source control, Python packages, interaction
        all.addAll(List.of(new GitModule(), new PipModule(), new ExpectModule()));

        // packages
        all.addAll(List.of(new AptModule(), new PackageModule(new AptModule())));

        // package repositories
        all.addAll(List.of(new AptRepositoryModule(), new Deb822RepositoryModule(), new AptKeyModule(),
                new DpkgSelectionsModule(), new DebconfModule()));

        // users, groups, hostname, cron
        all.addAll(List.of(new UserModule(), new GroupModule(), new HostnameModule(), new CronModule()));

        // kernel, mounts, firewall, time, locale
        all.addAll(List.of(new SysctlModule(), new MountModule(), new MountFactsModule(), new IptablesModule(),
                new UfwModule()));

        return new ModuleRegistry(all);
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
        if (modules.containsKey(name)) return Optional.of(name);
        int dot = key.lastIndexOf('.');
        if (dot < 0) return Optional.empty();
        Module m = modules.get(key.substring(dot + 1));
        return m != null && key.substring(0, dot).equals(m.collection()) ? Optional.of(m.name()) : Optional.empty();
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
