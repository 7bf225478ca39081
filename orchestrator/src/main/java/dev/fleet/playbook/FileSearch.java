package dev.fleet.playbook;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Where Ansible looks for a controller-side file named by a relative path ({@code src} of copy/template,
 * {@code include_vars}, the file lookups): in each directory of the task's search path (its role, the roles that
 * brought that role in, the task file's directory, the playbook's directory), first under the kind's subdirectory
 * ({@code files}, {@code templates}, {@code vars}), then directly.
 */
public final class FileSearch {
    private FileSearch() {}

    /** The paths to try, in order; an absolute {@code name} is the only candidate. */
    public static List<Path> candidates(List<Path> searchPath, String subdir, String name) {
        Path p = Path.of(name);
        if (p.isAbsolute()) return List.of(p);
        // Ansible skips the subdirectory when the name already starts with it (src: files/a.conf)
        boolean prefixed = p.getNameCount() > 1 && p.getName(0).toString().equals(subdir);
        LinkedHashSet<Path> out = new LinkedHashSet<>();
        for (Path dir : searchPath) {
            if (!prefixed) out.add(dir.resolve(subdir).resolve(name).normalize());
            out.add(dir.resolve(name).normalize());
        }
        return new ArrayList<>(out);
    }

    /** The search path a task's variables carry ({@code ansible_search_path}), or just {@code fallback}. */
    public static List<Path> of(Object ansibleSearchPath, Path fallback) {
        List<Path> out = new ArrayList<>();
        if (ansibleSearchPath instanceof List<?> l) for (Object o : l) out.add(Path.of(String.valueOf(o)));
        if (out.isEmpty() && fallback != null) out.add(fallback);
        return out;
    }
}
