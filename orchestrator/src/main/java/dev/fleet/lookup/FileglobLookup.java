package dev.fleet.lookup;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code fileglob}: controller-side files (not directories) matching a shell pattern in their last part.
 * A bare pattern ({@code *.conf}) is tried in each search directory's {@code files/} then in the directory
 * itself, and the first place with matches wins; a pattern with a directory part ({@code conf.d/*.conf})
 * looks in that directory, found on the search path as the {@code file} lookup finds files. As in Python's
 * glob, {@code *} does not match a leading dot. Matches are sorted, so loops run in a stable order.
 */
final class FileglobLookup implements Lookup {
    @Override
    public String name() {
        return "fileglob";
    }

    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options, LookupContext ctx)
            throws LookupException {
        List<Object> out = new ArrayList<>();
        for (Object term : terms) {
            String pattern = Terms.string(term, "fileglob");
            int slash = pattern.lastIndexOf('/');
            String base = pattern.substring(slash + 1);
            List<Path> dirs = new ArrayList<>();
            if (slash >= 0) {
                String dir = slash == 0 ? "/" : pattern.substring(0, slash);
                Optional<Path> found = ctx.find("files", dir);
                found.ifPresent(dirs::add);
            } else {
                for (Path p : ctx.searchDirs()) {
                    dirs.add(p.resolve("files"));
                    dirs.add(p);
                }
            }
            for (Path dir : dirs) {
                List<String> matches = glob(dir, base);
                if (!matches.isEmpty()) {
                    out.addAll(matches);
                    break;
                }
            }
        }
        return out;
    }

    private static List<String> glob(Path dir, String pattern) throws LookupException {
        if (!Files.isDirectory(dir) || pattern.isEmpty()) return List.of();
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + escapeForJava(pattern));
        boolean dotsToo = pattern.startsWith(".");
        List<String> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                Path name = p.getFileName();
                if (!dotsToo && name.toString().startsWith(".")) continue;
                if (matcher.matches(name) && Files.isRegularFile(p)) found.add(p.toString());
            }
        } catch (IOException e) {
            throw new LookupException("could not list " + dir + " for fileglob: " + e.getMessage(), e);
        }
        found.sort(null);
        return found;
    }

    /** Python's glob knows {@code * ? [...]} only: braces and backslashes are literal there. */
    private static String escapeForJava(String pattern) {
        return pattern.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}");
    }
}
