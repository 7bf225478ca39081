package dev.fleet.modules;

/**
 * A {@code mode} argument applied to one file's current permissions: octal as {@link RemoteFiles#parseMode}
 * reads it, or symbolic as chmod(1) and Ansible read it ({@code u+rwx}, {@code g-w,o=r}, {@code a+X},
 * {@code u=g}). An empty "who" ({@code +x}) means all, minus the bits of a 022 umask.
 */
final class FileMode {
    private FileMode() {}

    /** Whether {@code v} is a symbolic mode (and so depends on the file's current mode). */
    static boolean isSymbolic(Object v) {
        return v instanceof String s && !s.isBlank() && !s.strip().matches("(0[oO])?[0-7]+");
    }

    /** Checks the argument before the host is touched: octal, or symbolic chmod syntax. */
    static void validate(Object v) throws ModuleException {
        if (v == null) return;
        if (!isSymbolic(v)) {
            FileAttrs.parseMode(v);
            return;
        }
        apply(String.valueOf(v), 0644, false);
    }

    /** The permission bits {@code v} gives a file whose bits are {@code current}; null for no mode. */
    static Integer resolve(Object v, int current, boolean isDir) throws ModuleException {
        if (v == null) return null;
        if (!isSymbolic(v)) return FileAttrs.parseMode(v);
        return apply(String.valueOf(v).strip(), current, isDir);
    }

    private static int apply(String spec, int current, boolean isDir) throws ModuleException {
        int mode = current & 07777;
        for (String clause : spec.split(",", -1)) {
            int i = 0;
            int who = 0;
            while (i < clause.length() && "ugoa".indexOf(clause.charAt(i)) >= 0) {
                who |= switch (clause.charAt(i)) {
                    case 'u' -> 04700;
                    case 'g' -> 02070;
                    case 'o' -> 01007;
                    default -> 07777;
                };
                i++;
            }
            boolean masked = who == 0;
            if (masked) who = 07777;
            if (i >= clause.length()) throw bad(spec);
            while (i < clause.length()) {
                char op = clause.charAt(i++);
                if ("+-=".indexOf(op) < 0) throw bad(spec);
                int perms = 0;
                while (i < clause.length() && "+-=".indexOf(clause.charAt(i)) < 0) {
                    char p = clause.charAt(i++);
                    perms |= switch (p) {
                        case 'r' -> 0444;
                        case 'w' -> 0222;
                        case 'x' -> 0111;
                        case 'X' -> isDir || (mode & 0111) != 0 ? 0111 : 0;
                        case 's' -> 06000;
                        case 't' -> 01000;
                        case 'u' -> copy((mode >> 6) & 7);
                        case 'g' -> copy((mode >> 3) & 7);
                        case 'o' -> copy(mode & 7);
                        default -> throw bad(spec);
                    };
                }
                int bits = perms & who & (masked ? ~022 : 07777);
                mode = switch (op) {
                    case '+' -> mode | bits;
                    case '-' -> mode & ~bits;
                    default -> (mode & ~(who & (isDir ? 0777 | 01000 : 07777))) | bits;
                };
            }
        }
        return mode;
    }

    private static int copy(int rwx) {
        return rwx * 0111;
    }

    private static ModuleException bad(String spec) {
        return new ModuleException("argument 'mode' must be octal ('0644') or symbolic ('u+rwx,g-w'), found '"
                + spec + "'");
    }
}
