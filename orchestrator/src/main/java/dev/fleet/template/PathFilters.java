package dev.fleet.template;

import static dev.fleet.template.Args.*;


/** Filters on file paths, as Python's os.path answers them. */
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
}
