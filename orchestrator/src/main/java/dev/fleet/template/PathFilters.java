package dev.fleet.template;

import static dev.fleet.template.Args.arg;
import static dev.fleet.template.Args.list;
import static dev.fleet.template.Args.unwrap;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Filters on file paths, as Python's os.path answers them (POSIX paths). Those that look at a file system
 * ({@code realpath}, {@code expanduser}) look at the controller's, as Ansible's do.
 */
final class PathFilters {
    private PathFilters() {}

    static String basename(String p) {
        return p.substring(p.lastIndexOf('/') + 1);
    }

    static String dirname(String p) {
        int i = p.lastIndexOf('/');
        if (i < 0) return "";
        String head = p.substring(0, i + 1);
        String stripped = head.replaceAll("/+$", "");
        return stripped.isEmpty() ? head : stripped; // as os.path.dirname: "/a" -> "/", "a/b" -> "a"
    }

    /** os.path.join: an absolute part discards what came before it. */
    static Object pathJoin(Object v, Object[] a, Map<String, Object> kw) {
        if (!(unwrap(v) instanceof List<?>)) return Py.str(v);
        StringBuilder sb = new StringBuilder();
        for (Object o : list(v, "path_join")) {
            String part = Py.str(unwrap(o));
            if (part.startsWith("/")) sb.setLength(0);
            else if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != '/') sb.append('/');
            sb.append(part);
        }
        return sb.toString();
    }

    /** os.path.splitext: (root, ext), where a leading dot of the name is no extension. */
    static Object splitext(Object v, Object[] a, Map<String, Object> kw) {
        String p = Py.str(v);
        int slash = p.lastIndexOf('/'), dot = p.lastIndexOf('.');
        int nameStart = slash + 1;
        while (nameStart < p.length() && p.charAt(nameStart) == '.') nameStart++;
        if (dot < nameStart) return List.of(p, "");
        return List.of(p.substring(0, dot), p.substring(dot));
    }

    /** os.path.relpath(path, start='.'), both made absolute against the working directory. */
    static Object relpath(Object v, Object[] a, Map<String, Object> kw) {
        Path cwd = Path.of("").toAbsolutePath();
        Path p = cwd.resolve(Py.str(v)).normalize();
        Path start = cwd.resolve(Py.str(arg(a, kw, 0, "start", "."))).normalize();
        String r = start.relativize(p).toString();
        return r.isEmpty() ? "." : r;
    }

    static Object expanduser(Object v, Object[] a, Map<String, Object> kw) {
        String p = Py.str(v);
        if (p.equals("~") || p.startsWith("~/")) return System.getProperty("user.home") + p.substring(1);
        return p;
    }

    /** os.path.realpath: absolute, normalised, with the symbolic links that exist resolved. */
    static Object realpath(Object v, Object[] a, Map<String, Object> kw) {
        Path p = Path.of(Py.str(v)).toAbsolutePath().normalize();
        List<Path> rest = new ArrayList<>();
        for (Path cur = p; cur != null; cur = cur.getParent()) {
            try {
                Path real = cur.toRealPath();
                for (int i = rest.size() - 1; i >= 0; i--) real = real.resolve(rest.get(i));
                return real.toString();
            } catch (IOException | SecurityException e) {
                if (cur.getFileName() != null) rest.add(cur.getFileName());
            }
        }
        return p.toString();
    }
}
