package dev.fleet.lookup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a lookup may see of the run it is called from.
 *
 * @param searchPath directories searched for relative file names, first match wins: a role's directory before
 *                   the playbook's, as Ansible's {@code ansible_search_path}. Each is searched with the lookup's
 *                   subdirectory ({@code files/}, {@code templates/}, {@code vars/}) first, then on its own.
 * @param baseDir    the playbook's directory: searched last, the working directory of {@code pipe} and
 *                   {@code lines} commands, and where a relative {@code password} file goes
 * @param vars       the variables of the task (for {@code vars} and for the {@code template} lookup's scope)
 * @param renderer   renders a template's text, for the {@code template} lookup; the lookup package holds no
 *                   templater of its own
 */
public record LookupContext(List<Path> searchPath, Path baseDir, Map<String, Object> vars, Renderer renderer) {

    /** Renders template text against the context's variables plus {@code extraVars}, which win. */
    @FunctionalInterface
    public interface Renderer {
        String render(String source, Map<String, Object> extraVars) throws LookupException;

        /** For contexts with no templater: the {@code template} lookup then fails and says so. */
        Renderer NONE = (source, extra) -> {
            throw new LookupException("no templater is available to the template lookup here");
        };
    }

    public LookupContext {
        searchPath = List.copyOf(searchPath);
        Objects.requireNonNull(baseDir, "baseDir");
        Objects.requireNonNull(vars, "vars");
        Objects.requireNonNull(renderer, "renderer");
    }

    /**
     * The context a task's variables describe: {@code ansible_search_path} if set (a list of directories),
     * else {@code role_path} (when the task is in a role) then {@code playbook_dir}; the base directory is
     * {@code playbook_dir}, or the working directory when no playbook is involved (ad-hoc templates).
     */
    public static LookupContext fromVars(Map<String, Object> vars, Renderer renderer) {
        Path base = vars.get("playbook_dir") instanceof String s && !s.isEmpty() ? Path.of(s) : Path.of("");
        List<Path> search = new ArrayList<>();
        if (vars.get("ansible_search_path") instanceof List<?> dirs) {
            for (Object d : dirs) if (d != null) search.add(Path.of(String.valueOf(d)));
        } else {
            if (vars.get("role_path") instanceof String r && !r.isEmpty()) search.add(Path.of(r));
            search.add(base);
        }
        return new LookupContext(search, base, vars, renderer);
    }

    /** The search path with the base directory last, each directory once. */
    public List<Path> searchDirs() {
        LinkedHashSet<Path> dirs = new LinkedHashSet<>();
        for (Path p : searchPath) dirs.add(p.toAbsolutePath().normalize());
        dirs.add(baseDir.toAbsolutePath().normalize());
        return List.copyOf(dirs);
    }

    /**
     * Finds a file (or directory) the way Ansible's lookups do: an absolute or {@code ~} name as it is;
     * otherwise, for each search directory, {@code dir/subdir/name} then {@code dir/name} (the first is skipped
     * when the name already starts with {@code subdir/}).
     */
    public Optional<Path> find(String subdir, String name) {
        if (name == null || name.isEmpty()) return Optional.empty();
        if (name.startsWith("~")) name = System.getProperty("user.home") + name.substring(1);
        Path given = Path.of(name);
        if (given.isAbsolute()) return Files.exists(given) ? Optional.of(given.normalize()) : Optional.empty();
        boolean subdirGiven = name.split("/", 2)[0].equals(subdir);
        for (Path dir : searchDirs()) {
            if (!subdirGiven) {
                Path p = dir.resolve(subdir).resolve(name).normalize();
                if (Files.exists(p)) return Optional.of(p);
            }
            Path p = dir.resolve(name).normalize();
            if (Files.exists(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /** A path the user gave, made absolute against the base directory (Ansible's {@code path_dwim}). */
    public Path resolve(String name) {
        if (name.startsWith("~")) name = System.getProperty("user.home") + name.substring(1);
        return baseDir.toAbsolutePath().resolve(name).normalize();
    }
}
