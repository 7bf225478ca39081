package dev.fleet.lookup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code first_found}: the path of the first file that exists among candidates, looked up in {@code files/}
 * of the search path. Candidates are string terms, lists of them, or dicts with {@code files} and
 * {@code paths} (strings split on {@code ,;} and {@code ,:;}, or lists) and {@code skip}; string terms take
 * those same settings from the keyword options. With {@code skip=true} nothing found is an empty list rather
 * than an error.
 */
final class FirstFoundLookup implements Lookup {
    @Override
    public String name() {
        return "first_found";
    }

    /** The candidates to try, in order, and whether finding none is allowed. */
    private record Search(List<String> candidates, boolean skip) {}

    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options, LookupContext ctx)
            throws LookupException {
        Search search = candidates(terms, options);
        for (String candidate : search.candidates()) {
            Optional<Path> found = ctx.find("files", candidate);
            if (found.isPresent()) {
                List<Object> out = new ArrayList<>(1);
                out.add(found.get().toAbsolutePath().toString());
                return out;
            }
        }
        if (search.skip()) return new ArrayList<>();
        throw new LookupException("No file was found when using first_found (tried " + search.candidates()
                + " in " + ctx.searchDirs() + "); pass skip=True to go on without one");
    }

    private static Search candidates(List<?> terms, Map<String, Object> kwargs) throws LookupException {
        List<String> all = new ArrayList<>();
        boolean skip = false;
        for (Object term : terms) {
            Map<?, ?> settings;
            if (term instanceof Map<?, ?> m) {
                settings = m;
            } else if (term instanceof String) {
                settings = kwargs;
            } else if (term instanceof List<?> l) {
                Search inner = candidates(l, kwargs);
                all.addAll(inner.candidates());
                skip = inner.skip();
                continue;
            } else {
                throw new LookupException("Invalid term supplied to first_found, it can handle a string, a dict or a "
                        + "list of strings but got " + Terms.describe(term));
            }
            List<String> files = split(settings.get("files"), ",;", "files");
            List<String> paths = split(settings.get("paths"), ",:;", "paths");
            skip = settings.get("skip") != null && Terms.bool(settings.get("skip"), "skip");
            if (!paths.isEmpty()) {
                for (String path : paths) {
                    for (String file : files) all.add(path.isEmpty() ? file : Path.of(path).resolve(file).toString());
                }
            } else if (!files.isEmpty()) {
                // Ansible replaces, not extends, the candidates here: the last dict's files win.
                all = new ArrayList<>(files);
            } else {
                all.add(String.valueOf(term));
            }
        }
        return new Search(all, skip);
    }

    /** A files or paths setting: a string split on any of the separators, or a list of such strings. */
    private static List<String> split(Object value, String separators, String option) throws LookupException {
        List<String> out = new ArrayList<>();
        if (value == null) return out;
        if (value instanceof String s) {
            StringBuilder cur = new StringBuilder();
            for (char c : s.toCharArray()) {
                if (separators.indexOf(c) >= 0) {
                    out.add(cur.toString());
                    cur.setLength(0);
                } else {
                    cur.append(c);
                }
            }
            out.add(cur.toString());
        } else if (value instanceof List<?> l) {
            for (Object o : l) out.addAll(split(o, separators, option));
        } else {
            throw new LookupException("first_found's " + option + " must be a string or a list, got "
                    + Terms.describe(value));
        }
        return out;
    }
}
