package dev.fleet.modules;

import dev.fleet.template.Templater;
import dev.fleet.transport.HostSession;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything a module sees when it runs on one host.
 *
 * <p>Reading arguments: in {@link Module#execute} the arguments are checked against the module's {@link ArgSpec},
 * and the typed getters are the one way to read them: {@link #str}, {@link #bool}, {@link #integer},
 * {@link #decimal}, {@link #list}, {@link #strings}, {@link #dict}, {@link #raw}, and {@link #has} for "was it
 * given". They take the canonical name, return the value converted to the declared type with the default applied,
 * and throw {@link IllegalStateException} for a name the spec does not declare (a bug in the module).
 * {@link #args()} is the whole checked map, for modules whose arguments are open-ended ({@code set_fact}).
 *
 * @param session     the host's open session; under {@code become} it already runs commands through sudo and
 *                    {@link HostSession#upload} already lands files as the become user
 * @param args        the task's arguments, templates already rendered; checked once {@link #spec} is set
 * @param check       {@code --check}: change nothing, report what would change
 * @param diff        {@code --diff}: file-editing modules put a unified diff under {@code data.diff}
 * @param timeout     per-task timeout, to pass to every {@code exec}
 * @param vars        every variable visible to this host at this task (for {@code debug var=}, {@code template})
 * @param templater   renders templates ({@code template} module content)
 * @param playbookDir the playbook's directory: relative {@code src} paths resolve against it (and its
 *                    {@code files/} and {@code templates/} subdirectories, as Ansible does)
 * @param spec        the spec {@code args} were checked against, or null before {@link Module#run} checks them
 */
public record ModuleContext(HostSession session, Map<String, Object> args, boolean check, boolean diff,
        Duration timeout, Map<String, Object> vars, Templater templater, Path playbookDir, ArgSpec spec) {

    public ModuleContext {
        args = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(args));
    }

    /** A context with unchecked arguments, as the engine builds it; {@link Module#run} checks them. */
    public ModuleContext(HostSession session, Map<String, Object> args, boolean check, boolean diff,
            Duration timeout, Map<String, Object> vars, Templater templater, Path playbookDir) {
        this(session, args, check, diff, timeout, vars, templater, playbookDir, null);
    }

    /** This context with its arguments checked against {@code spec} (see {@link ArgSpec#check}). */
    public ModuleContext checked(ArgSpec spec) throws ModuleException {
        return new ModuleContext(session, spec.check(args), check, diff, timeout, vars, templater, playbookDir, spec);
    }

    /** Whether the argument has a value (given, or defaulted). */
    public boolean has(String name) {
        return value(name) != null;
    }

    /** A {@code str} or {@code path} argument, or null. */
    public String str(String name) {
        Object v = value(name);
        return v == null ? null : String.valueOf(v);
    }

    /** A {@code bool} argument; false when not given and without default. */
    public boolean bool(String name) {
        return Boolean.TRUE.equals(typed(name, Boolean.class));
    }

    /** An {@code int} argument; declare a default, or ask {@link #has} first. */
    public int integer(String name) {
        Integer v = typed(name, Integer.class);
        if (v == null) throw new IllegalStateException("int argument '" + name + "' has no value and no default");
        return v;
    }

    /** A {@code float} argument; declare a default, or ask {@link #has} first. */
    public double decimal(String name) {
        Double v = typed(name, Double.class);
        if (v == null) throw new IllegalStateException("float argument '" + name + "' has no value and no default");
        return v;
    }

    /** A {@code list} argument, items converted to the declared element type; empty when not given. */
    public List<Object> list(String name) {
        @SuppressWarnings("unchecked")
        List<Object> v = typed(name, List.class);
        return v == null ? List.of() : v;
    }

    /** A list argument's items as strings; empty when not given. */
    public List<String> strings(String name) {
        return list(name).stream().map(String::valueOf).toList();
    }

    /** A {@code dict} argument; empty when not given. */
    public Map<String, Object> dict(String name) {
        @SuppressWarnings("unchecked")
        Map<String, Object> v = typed(name, Map.class);
        return v == null ? Map.of() : v;
    }

    /** A {@code raw} argument (any YAML value), or null. */
    public Object raw(String name) {
        return value(name);
    }

    private Object value(String name) {
        if (spec != null && !spec.args().containsKey(name)) {
            throw new IllegalStateException("module reads argument '" + name + "', which its ArgSpec does not"
                    + " declare (declare it, or read the canonical name, not an alias)");
        }
        return args.get(name);
    }

    private <T> T typed(String name, Class<T> type) {
        Object v = value(name);
        if (v == null || type.isInstance(v)) return type.cast(v);
        throw new IllegalStateException("argument '" + name + "' holds a " + v.getClass().getSimpleName()
                + ", not a " + type.getSimpleName() + ": its ArgSpec type does not match the getter");
    }

    /**
     * A controller-side file named by {@code src}: absolute, or found along the task's {@code ansible_search_path}
     * (its role, then the task file's and the playbook's directory), each under {@code subdir} first, as Ansible
     * looks; without a search path, under the playbook directory.
     */
    public Path localFile(String src, String subdir) throws ModuleException {
        Object searchPath = vars == null ? null : vars.get("ansible_search_path");
        List<Path> tried = dev.fleet.playbook.FileSearch.candidates(
                dev.fleet.playbook.FileSearch.of(searchPath, playbookDir), subdir, src);
        for (Path c : tried) {
            if (java.nio.file.Files.isRegularFile(c)) return c;
        }
        throw new ModuleException("could not find src '" + src + "'; looked in " + tried);
    }
}
