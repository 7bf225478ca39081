package dev.fleet.modules;

import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the file modules ({@code stat}, {@code lineinfile}, {@code blockinfile}, {@code copy}, {@code template})
 * share: looking at a remote file (stat, checksum and, if asked, its content in one round trip), writing one
 * atomically (upload to a temporary file beside it, set mode and owner, move over the target) and applying
 * {@code mode}/{@code owner}/{@code group} to an existing file. Every command runs under {@code /bin/sh} with
 * every path quoted.
 */
final class RemoteFiles {
    /** Largest file whose content is read back (base64 over stdout, which the transport caps at 8 MiB). */
    static final long MAX_CONTENT = 4L * 1024 * 1024;

    private RemoteFiles() {}

    /** The host could not do what was asked (permissions, missing directory): the task fails, the host is fine. */
    static final class HostFailure extends Exception {
        HostFailure(String message) {
            super(message);
        }
    }

    /** Where a missing file's directory stands. */
    enum Parent { EXISTS, MISSING, NOT_A_DIRECTORY }

    /**
     * A remote path as seen by one {@link #inspect}. For a missing path only {@code exists} and {@code parent}
     * mean anything. {@code content} is null unless asked for and the path is a readable regular file no larger
     * than {@link #MAX_CONTENT} ({@code tooLarge} says when that was the reason).
     */
    record Info(String path, boolean exists, Parent parent, int rawMode, long uid, long gid, String owner,
            String group, long size, long atime, long mtime, long ctime, long inode, long nlink, long dev,
            boolean readable, boolean writeable, boolean executable, String linkTarget, String realPath,
            String checksum, byte[] content, boolean tooLarge) {

        static Info missing(String path, Parent parent) {
            return new Info(path, false, parent, 0, -1, -1, "", "", 0, 0, 0, 0, 0, 0, 0, false, false, false, "", "",
                    "", null, false);
        }

        int type() {
            return rawMode & 0170000;
        }

        /** Permission bits, setuid/setgid/sticky included. */
        int mode() {
            return rawMode & 07777;
        }

        boolean isReg() {
            return exists && type() == 0100000;
        }

        boolean isDir() {
            return exists && type() == 0040000;
        }

        boolean isLink() {
            return exists && type() == 0120000;
        }

        /** The file to write to: a symlink is followed to its target, as Ansible's file modules do. */
        String writePath() {
            return realPath.isEmpty() ? path : realPath;
        }

        /** Ansible's {@code stat} result dictionary. */
        Map<String, Object> toStatMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("exists", exists);
            if (!exists) return m;
            int t = type();
            m.put("path", path);
            FileAttrs.putModeBits(m, rawMode);
            m.put("uid", uid);
            m.put("gid", gid);
            m.put("pw_name", owner);
            m.put("gr_name", group);
            m.put("size", size);
            m.put("inode", inode);
            m.put("dev", dev);
            m.put("nlink", nlink);
            m.put("atime", atime);
            m.put("mtime", mtime);
            m.put("ctime", ctime);
            m.put("readable", readable);
            m.put("writeable", writeable);
            m.put("executable", executable);
            if (t == 0120000) {
                m.put("lnk_target", linkTarget);
                m.put("lnk_source", realPath);
            }
            if (!checksum.isEmpty()) m.put("checksum", checksum);
            return m;
        }
    }

    // ---- looking ---------------------------------------------------------------------------------------------

    private static final String STAT_FORMAT = "%f|%u|%g|%U|%G|%X|%Y|%Z|%i|%h|%d|%s";

    /**
     * One round trip: whether {@code path} exists, its stat, and optionally its checksum ({@code sha1sum} or
     * another {@code *sum} command) and content.
     *
     * @param follow      report on a symlink's target rather than the link
     * @param checksumCmd e.g. {@code sha1sum}; null for no checksum
     * @param content     also fetch the content of a regular file
     */
    static Info inspect(ModuleContext ctx, String module, String path, boolean follow, String checksumCmd,
            boolean content) throws TransportException, HostFailure {
        String s = "p=" + ShellQuote.quote(path) + "\n"
                + "if " + (follow ? "[ -e \"$p\" ]" : "[ -e \"$p\" ] || [ -L \"$p\" ]") + "; then\n"
                + "  echo exists\n"
                + "  st=$(stat " + (follow ? "-L " : "") + "-c '" + STAT_FORMAT + "' -- \"$p\") || exit 2\n"
                + "  echo \"$st\"\n"
                + "  r=0; w=0; x=0; [ -r \"$p\" ] && r=1; [ -w \"$p\" ] && w=1; [ -x \"$p\" ] && x=1; echo \"$r$w$x\"\n"
                + "  if [ -L \"$p\" ]; then echo \"$(readlink -- \"$p\")\"; echo \"$(readlink -f -- \"$p\")\"; "
                + "else echo; echo; fi\n";
        String regular = follow ? "[ -f \"$p\" ]" : "[ -f \"$p\" ] && [ ! -L \"$p\" ]";
        if (checksumCmd != null) {
            s += "  if " + regular + " && [ -r \"$p\" ]; then " + checksumCmd + " < \"$p\" || exit 2; else echo; fi\n";
        } else {
            s += "  echo\n";
        }
        if (content) {
            s += "  if " + regular + "; then\n"
                    + "    if [ \"${st##*|}\" -gt " + MAX_CONTENT + " ]; then echo toolarge; else\n"
                    + "      echo content; base64 < \"$p\" || exit 5; fi\n"
                    + "  else echo none; fi\n";
        } else {
            s += "  echo none\n";
        }
        s += "else\n"
                + "  echo missing; d=$(dirname -- \"$p\")\n"
                + "  if [ -d \"$d\" ]; then echo parent; elif [ -e \"$d\" ]; then echo notdir; else echo noparent; fi\n"
                + "fi\n";
        CommandResult r = sh(ctx, s);
        if (r.exitCode() == 5) throw new HostFailure(module + ": cannot read " + path + ": " + reason(r.stderr()));
        if (r.exitCode() != 0) {
            // stdout may already hold the stat lines of the steps that worked; the error is on stderr.
            String why = r.stderr().isBlank() ? r.stdout() : r.stderr();
            throw new HostFailure(module + ": cannot stat " + path + ": " + reason(why));
        }
        String out = r.stdout();
        List<String> lines = out.lines().limit(7).toList();
        if (lines.isEmpty()) throw new HostFailure(module + ": no answer when looking at " + path);
        if (lines.get(0).equals("missing")) {
            String p = lines.size() > 1 ? lines.get(1) : "parent";
            return Info.missing(path, switch (p) {
                case "noparent" -> Parent.MISSING;
                case "notdir" -> Parent.NOT_A_DIRECTORY;
                default -> Parent.EXISTS;
            });
        }
        if (lines.size() < 7) throw new HostFailure(module + ": unexpected answer when looking at " + path + ": " + out);
        String[] f = lines.get(1).split("\\|", -1);
        if (f.length != 12) throw new HostFailure(module + ": unexpected stat output for " + path + ": " + lines.get(1));
        String rwx = lines.get(2);
        String sum = lines.get(5).strip();
        int sp = sum.indexOf(' ');
        if (sp > 0) sum = sum.substring(0, sp);
        byte[] bytes = null;
        String tag = lines.get(6);
        if (tag.equals("content")) {
            int at = nthLineEnd(out, 7);
            bytes = Base64.getMimeDecoder().decode(out.substring(at).strip());
        }
        try {
            return new Info(path, true, Parent.EXISTS, Integer.parseInt(f[0], 16), Long.parseLong(f[1]),
                    Long.parseLong(f[2]), f[3], f[4], Long.parseLong(f[11]), Long.parseLong(f[5]),
                    Long.parseLong(f[6]), Long.parseLong(f[7]), Long.parseLong(f[8]), Long.parseLong(f[9]),
                    Long.parseLong(f[10]), rwx.charAt(0) == '1', rwx.length() > 1 && rwx.charAt(1) == '1',
                    rwx.length() > 2 && rwx.charAt(2) == '1', lines.get(3), lines.get(4), sum, bytes,
                    tag.equals("toolarge"));
        } catch (NumberFormatException e) {
            throw new HostFailure(module + ": unexpected stat output for " + path + ": " + lines.get(1));
        }
    }

    private static int nthLineEnd(String s, int n) {
        int at = 0;
        for (int i = 0; i < n; i++) {
            int nl = s.indexOf('\n', at);
            if (nl < 0) return s.length();
            at = nl + 1;
        }
        return at;
    }

    /** The content of a file as UTF-8 text, or a failure saying why it cannot be edited as text. */
    static String text(String module, Info info) throws HostFailure {
        if (info.tooLarge()) {
            throw new HostFailure(module + ": " + info.path() + " is larger than " + MAX_CONTENT / (1024 * 1024)
                    + " MiB; fleet does not edit files that large");
        }
        if (info.content() == null) {
            throw new HostFailure(module + ": " + info.path() + " is not a regular file");
        }
        String t = utf8(info.content());
        if (t == null) throw new HostFailure(module + ": " + info.path() + " is not UTF-8 text; not editing it");
        return t;
    }

    /** Strict UTF-8 decoding; null if the bytes are not UTF-8. */
    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    // ---- writing ---------------------------------------------------------------------------------------------

    /**
     * Replaces (or creates) {@code path} with {@code content} atomically: uploads a temporary file
     * {@code .<name>.fleet-tmp-<random>} beside it, sets its mode (requested, else the old file's, else
     * 0666 minus the umask) and owner/group (requested, else the old file's where permitted), optionally runs
     * {@code validate} on it and backs the old file up, then moves it over {@code path}. Nothing is left behind on
     * failure.
     *
     * @param existing    the file as {@link #inspect} found it (at {@code path})
     * @param makeParents create missing parent directories first (lineinfile/blockinfile {@code create})
     * @param validate    command with {@code %s} for the temporary file; null for none
     * @return the backup file's path, or "" if none was made
     */
    static String write(ModuleContext ctx, String module, String path, byte[] content, FileAttrs attrs, Info existing,
            boolean makeParents, boolean backup, String validate) throws TransportException, HostFailure {
        int slash = path.lastIndexOf('/');
        String dir = slash < 0 ? "." : slash == 0 ? "/" : path.substring(0, slash);
        String name = path.substring(slash + 1);
        if (makeParents && !existing.exists() && existing.parent() == Parent.MISSING) {
            CommandResult r = sh(ctx, "mkdir -p -- " + ShellQuote.quote(dir));
            if (r.exitCode() != 0) {
                throw new HostFailure(module + ": cannot create directory " + dir + ": " + reason(r.stderr()));
            }
        }
        String tmp = (dir.equals("/") ? "" : dir) + "/." + name + ".fleet-tmp-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        try {
            ctx.session().upload(content, tmp, 0600);
        } catch (TransportException e) {
            if (e.kind() != TransportException.Kind.FILE_TRANSFER) throw e;
            CommandResult r = sh(ctx, "d=" + ShellQuote.quote(dir) + "; if [ ! -e \"$d\" ]; then echo missing; "
                    + "elif [ ! -d \"$d\" ]; then echo notdir; elif [ ! -w \"$d\" ]; then echo denied; fi");
            String why = switch (r.stdout().strip()) {
                case "missing" -> "directory " + dir + " does not exist";
                case "notdir" -> dir + " is not a directory";
                case "denied" -> "Permission denied";
                default -> e.getMessage();
            };
            throw new HostFailure(module + ": cannot write " + path + ": " + why);
        }
        StringBuilder s = new StringBuilder();
        s.append("t=").append(ShellQuote.quote(tmp)).append("; p=").append(ShellQuote.quote(path)).append('\n');
        s.append("fail() { rc=$1; rm -f -- \"$t\"; exit $rc; }\n");
        Integer mode = attrs.mode() != null ? attrs.mode() : existing.exists() ? Integer.valueOf(existing.mode()) : null;
        if (mode != null) {
            s.append("chmod -- ").append(FileAttrs.octal(mode)).append(" \"$t\" || fail 4\n");
        } else {
            s.append("chmod -- \"$(printf '%o' $((0666 & ~0$(umask))))\" \"$t\" || fail 4\n");
        }
        if (attrs.owner() != null) {
            s.append("chown -- ").append(ShellQuote.quote(attrs.owner())).append(" \"$t\" || fail 5\n");
        } else if (existing.exists()) {
            s.append("chown -- ").append(existing.uid()).append(" \"$t\" 2>/dev/null\n");
        }
        if (attrs.group() != null) {
            s.append("chgrp -- ").append(ShellQuote.quote(attrs.group())).append(" \"$t\" || fail 6\n");
        } else if (existing.exists()) {
            s.append("chgrp -- ").append(existing.gid()).append(" \"$t\" 2>/dev/null\n");
        }
        if (validate != null) {
            s.append("{ ").append(validate.replace("%s", ShellQuote.quote(tmp))).append("\n} >&2 || fail 9\n");
        }
        if (backup && existing.exists()) {
            s.append("b=\"$p.$$.$(date +%Y-%m-%d@%H:%M:%S)~\"; cp -p -- \"$p\" \"$b\" || fail 7; echo \"$b\"\n");
        }
        s.append("mv -f -- \"$t\" \"$p\" || fail 8\n");
        CommandResult r = sh(ctx, s.toString());
        String why = reason(r.stderr());
        return switch (r.exitCode()) {
            case 0 -> r.stdout().strip();
            case 4 -> throw new HostFailure(module + ": cannot set mode "
                    + (mode == null ? "" : FileAttrs.octal(mode) + " ") + "on " + path + ": " + why);
            case 5 -> throw new HostFailure(module + ": cannot set owner of " + path + " to " + attrs.owner() + ": "
                    + why);
            case 6 -> throw new HostFailure(module + ": cannot set group of " + path + " to " + attrs.group() + ": "
                    + why);
            case 7 -> throw new HostFailure(module + ": cannot back up " + path + ": " + why);
            case 8 -> throw new HostFailure(module + ": cannot write " + path + ": " + why);
            case 9 -> throw new HostFailure(module + ": validation failed for " + path + " (" + validate + "): "
                    + r.stderr().strip());
            default -> throw new HostFailure(module + ": cannot write " + path + ": exit code " + r.exitCode() + ": "
                    + why);
        };
    }

    /**
     * Gives an existing file the requested mode/owner/group. Returns whether anything differs (and so was, or
     * in check mode would be, changed).
     */
    static boolean applyAttrs(ModuleContext ctx, String module, Info info, FileAttrs attrs)
            throws TransportException, HostFailure {
        if (attrs.satisfiedBy(info)) return false;
        if (ctx.check()) return true;
        String p = ShellQuote.quote(info.writePath());
        StringBuilder s = new StringBuilder();
        if (attrs.owner() != null) s.append("chown -- ").append(ShellQuote.quote(attrs.owner())).append(' ')
                .append(p).append(" || exit 5\n");
        if (attrs.group() != null) s.append("chgrp -- ").append(ShellQuote.quote(attrs.group())).append(' ')
                .append(p).append(" || exit 6\n");
        // chmod last: chown may clear setuid/setgid bits.
        if (attrs.mode() != null) s.append("chmod -- ").append(FileAttrs.octal(attrs.mode())).append(' ').append(p)
                .append(" || exit 4\n");
        CommandResult r = sh(ctx, s.toString());
        String why = reason(r.stderr());
        return switch (r.exitCode()) {
            case 0 -> true;
            case 4 -> throw new HostFailure(module + ": cannot set mode " + FileAttrs.octal(attrs.mode()) + " on "
                    + info.path() + ": " + why);
            case 5 -> throw new HostFailure(module + ": cannot set owner of " + info.path() + " to " + attrs.owner()
                    + ": " + why);
            case 6 -> throw new HostFailure(module + ": cannot set group of " + info.path() + " to " + attrs.group()
                    + ": " + why);
            default -> throw new HostFailure(module + ": cannot change attributes of " + info.path() + ": " + why);
        };
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    static CommandResult sh(ModuleContext ctx, String script) throws TransportException {
        return ctx.session().exec("/bin/sh -c " + ShellQuote.quote(script), ctx.timeout());
    }

    /** As {@link #sh(ModuleContext, String)}, with {@code stdin} as the script's standard input. */
    static CommandResult sh(ModuleContext ctx, String script, byte[] stdin) throws TransportException {
        return ctx.session().exec("/bin/sh -c " + ShellQuote.quote(script), stdin, ctx.timeout());
    }

    /**
     * The reason in a tool's error output: {@code "chown: invalid user: 'nobody2'"} gives
     * {@code "invalid user: 'nobody2'"}, {@code "sh: 1: cannot create /x/y: Directory nonexistent"} gives
     * {@code "Directory nonexistent"}.
     */
    static String reason(String stderr) {
        String last = stderr.strip().lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("").strip();
        if (last.isEmpty()) return "unknown error";
        for (String p : List.of("Permission denied", "No such file or directory", "Read-only file system",
                "Not a directory", "Is a directory", "No space left on device", "Operation not permitted",
                "Directory nonexistent")) {
            if (last.endsWith(p)) return p;
        }
        int colon = last.indexOf(": ");
        return colon >= 0 && colon < 20 ? last.substring(colon + 2) : last;
    }
}
