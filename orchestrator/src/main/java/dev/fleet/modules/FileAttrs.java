package dev.fleet.modules;

import java.util.Map;

/**
 * The {@code mode}, {@code owner} and {@code group} a file module was asked for (null members are left as they
 * are), how a {@code mode} argument reads as permission bits, and the mode keys Ansible's stat and find report.
 */
record FileAttrs(Integer mode, String owner, String group) {
    static FileAttrs of(ModuleContext ctx) throws ModuleException {
        return new FileAttrs(parseMode(ctx.raw("mode")), name(ctx, "owner"), name(ctx, "group"));
    }

    /** owner and group only; mode decided by the caller ({@code mode: preserve}). */
    static FileAttrs owners(ModuleContext ctx) throws ModuleException {
        return new FileAttrs(null, name(ctx, "owner"), name(ctx, "group"));
    }

    FileAttrs withMode(Integer m) {
        return new FileAttrs(m, owner, group);
    }

    private static String name(ModuleContext ctx, String arg) throws ModuleException {
        String v = ctx.str(arg);
        if (v == null) return null;
        v = v.strip();
        if (v.isEmpty() || v.chars().anyMatch(c -> Character.isWhitespace(c) || c == ':')) {
            throw new ModuleException("argument '" + arg + "' must be a user or group name or number, found '"
                    + ctx.str(arg) + "'");
        }
        return v;
    }

    /** Whether {@code info} (an existing file) already has every requested attribute. */
    boolean satisfiedBy(RemoteFiles.Info info) {
        return (mode == null || mode == info.mode())
                && (owner == null || owner.equals(isNumber(owner) ? String.valueOf(info.uid()) : info.owner()))
                && (group == null || group.equals(isNumber(group) ? String.valueOf(info.gid()) : info.group()));
    }

    /**
     * The keys Ansible's stat and find derive from a file's st_mode: {@code mode} (octal text), the file type
     * flags ({@code isdir}, {@code islnk}, ...) and the permission flags ({@code rusr}, ..., {@code isgid}).
     */
    static void putModeBits(Map<String, Object> m, int rawMode) {
        int t = rawMode & 0170000;
        int mode = rawMode & 07777;
        m.put("mode", octal(mode));
        m.put("isdir", t == 0040000);
        m.put("ischr", t == 0020000);
        m.put("isblk", t == 0060000);
        m.put("isreg", t == 0100000);
        m.put("isfifo", t == 0010000);
        m.put("islnk", t == 0120000);
        m.put("issock", t == 0140000);
        m.put("wusr", (mode & 0200) != 0);
        m.put("rusr", (mode & 0400) != 0);
        m.put("xusr", (mode & 0100) != 0);
        m.put("wgrp", (mode & 020) != 0);
        m.put("rgrp", (mode & 040) != 0);
        m.put("xgrp", (mode & 010) != 0);
        m.put("woth", (mode & 02) != 0);
        m.put("roth", (mode & 04) != 0);
        m.put("xoth", (mode & 01) != 0);
        m.put("isuid", (mode & 04000) != 0);
        m.put("isgid", (mode & 02000) != 0);
    }

    /**
     * A {@code mode} argument as permission bits. A string is octal ({@code "0644"}, {@code "644"},
     * {@code "0o644"}); a number is taken as the value itself, as Ansible does: YAML reads {@code 0644} as 420,
     * which is right, but {@code 644} as decimal 644 (= 01204), which is almost never what was meant.
     */
    static Integer parseMode(Object v) throws ModuleException {
        if (v == null) return null;
        if (v instanceof Number n) {
            long l = n.longValue();
            if (l < 0 || l > 07777 || n.doubleValue() != l) {
                throw new ModuleException("argument 'mode' must be an octal permission such as '0644', found " + v);
            }
            return (int) l;
        }
        String s = String.valueOf(v).strip();
        String digits = s.startsWith("0o") || s.startsWith("0O") ? s.substring(2) : s;
        if (!digits.matches("[0-7]{1,5}") || Integer.parseInt(digits, 8) > 07777) {
            String hint = s.matches("[ugoa]*[-+=][rwxXst]*(,.*)?") ? " (symbolic modes are not supported)" : "";
            throw new ModuleException("argument 'mode' must be an octal permission such as '0644', found '" + s
                    + "'" + hint);
        }
        return Integer.parseInt(digits, 8);
    }

    static String octal(int mode) {
        return String.format("%04o", mode);
    }

    private static boolean isNumber(String s) {
        return s.chars().allMatch(Character::isDigit);
    }
}
