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
 * @param session     the host's open session; under {@code become} it already runs commands through sudo and
 *                    {@link HostSession#upload} already lands files as the become user
 * @param args        the task's arguments, templates already rendered
 * @param check       {@code --check}: change nothing, report what would change
 * @param diff        {@code --diff}: file-editing modules put a unified diff under {@code data.diff}
 * @param timeout     per-task timeout, to pass to every {@code exec}
 * @param vars        every variable visible to this host at this task (for {@code debug var=}, {@code template})
 * @param templater   renders templates ({@code template} module content)
 * @param playbookDir the playbook's directory: relative {@code src} paths resolve against it (and its
 *                    {@code files/} and {@code templates/} subdirectories, as Ansible does)
 */
public record ModuleContext(HostSession session, Map<String, Object> args, boolean check, boolean diff,
        Duration timeout, Map<String, Object> vars, Templater templater, Path playbookDir) {

    public ModuleContext {
        args = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(args));
    }

    public boolean has(String name) {
        return args.get(name) != null;
    }

    public String string(String name) {
        Object v = args.get(name);
        return v == null ? null : String.valueOf(v);
    }

    public String string(String name, String dflt) {
        String s = string(name);
        return s == null ? dflt : s;
    }

    /** A string argument that must be one of {@code allowed}. */
    public String choice(String name, String dflt, String... allowed) throws ModuleException {
        String v = string(name, dflt);
        if (!List.of(allowed).contains(v)) {
            throw new ModuleException("argument '" + name + "' must be one of " + List.of(allowed) + ", found '" + v + "'");
        }
        return v;
    }

    public boolean bool(String name, boolean dflt) throws ModuleException {
        Object v = args.get(name);
        if (v == null) return dflt;
        if (v instanceof Boolean b) return b;
        return switch (String.valueOf(v).strip().toLowerCase()) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new ModuleException("argument '" + name + "' must be a boolean, found '" + v + "'");
        };
    }

    public int integer(String name, int dflt) throws ModuleException {
        Object v = args.get(name);
        if (v == null) return dflt;
        if (v instanceof Number n) return n.intValue();
        try {
            return Integer.parseInt(String.valueOf(v).strip());
        } catch (NumberFormatException e) {
            throw new ModuleException("argument '" + name + "' must be a whole number, found '" + v + "'");
        }
    }

    public List<String> stringList(String name) throws ModuleException {
        Object v = args.get(name);
        if (v == null) return List.of();
        if (v instanceof List<?> l) return l.stream().map(String::valueOf).toList();
        throw new ModuleException("argument '" + name + "' must be a list, found '" + v + "'");
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
