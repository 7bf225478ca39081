package dev.fleet.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * Resolves a file name from a request against the allowed directories: only relative names without {@code ..},
 * and the real path (symlinks followed) must still lie inside the (real) directory. Filesystem access: call off
 * the event loop.
 */
final class PathGuard {
    private final String what;
    private final String configKey;
    private final List<Path> roots;
    private final boolean allowDirectories;

    /** @param roots real paths (see ServeConfig) */
    PathGuard(String what, String configKey, List<Path> roots, boolean allowDirectories) {
        this.what = what;
        this.configKey = configKey;
        this.roots = List.copyOf(roots);
        this.allowDirectories = allowDirectories;
    }

    /** Syntactic checks only (no filesystem): relative, no {@code ..}, no NUL, no backslash tricks. */
    static Path checkRelative(String name, String what) {
        if (name == null || name.isBlank()) throw ApiError.badRequest(what + " must be a non-empty file name");
        if (name.indexOf('\0') >= 0 || name.length() > 1024) {
            throw ApiError.badRequest(what + " is not a valid file name");
        }
        Path p;
        try {
            p = Path.of(name);
        } catch (InvalidPathException e) {
            throw ApiError.badRequest(what + " is not a valid file name");
        }
        if (p.isAbsolute() || name.startsWith("/") || name.startsWith("~")) {
            throw ApiError.forbidden(what + " '" + name + "': absolute paths are not allowed; name a file relative"
                    + " to the configured directories");
        }
        for (Path part : p) {
            if (part.toString().equals("..")) {
                throw ApiError.forbidden(what + " '" + name + "': '..' is not allowed in file names");
            }
        }
        return p;
    }

    /** The real path of the named file inside one of the roots (first match wins). */
    Path resolve(String name) {
        Path rel = checkRelative(name, what);
        for (Path root : roots) {
            Path candidate = root.resolve(rel).normalize();
            if (!candidate.startsWith(root) || !Files.exists(candidate)) continue;
            Path real;
            try {
                real = candidate.toRealPath();
            } catch (IOException e) {
                continue;
            }
            if (!real.startsWith(root)) {
                throw ApiError.forbidden(what + " '" + name + "' resolves outside " + configKey
                        + " (through a symbolic link); refused");
            }
            if (Files.isRegularFile(real) || (allowDirectories && Files.isDirectory(real))) return real;
            throw ApiError.badRequest(what + " '" + name + "' is not a file");
        }
        throw ApiError.badRequest(what + " '" + name + "' not found in " + configKey);
    }

    /** Replaces the roots' absolute paths in a message by nothing, so parse errors read {@code site.yml:3:5}. */
    String scrub(String message) {
        String out = message;
        for (Path root : roots) out = out.replace(root.toString() + "/", "");
        return out;
    }
}
