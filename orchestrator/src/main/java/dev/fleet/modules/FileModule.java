package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code file}: makes a path a file (attributes only), a directory (created with its parents), a symbolic or hard
 * link, touched, or absent, and gives it {@code mode} (octal or symbolic), {@code owner} and {@code group}. One
 * look (two for links: the link and its source), then one script that changes what differs and prints the
 * result's stat. Returns Ansible's keys ({@code path} or {@code dest}, {@code state}, {@code mode},
 * {@code owner}, {@code group}, {@code uid}, {@code gid}, {@code size}) and, under {@code --diff}, the
 * {@code before}/{@code after} state.
 */
final class FileModule implements Module {
    private static final String TIME_FORMAT = "%Y%m%d%H%M.%S";

    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.path("path").required().aliases("dest", "name"),
                    Arg.str("state").choices("absent", "directory", "file", "hard", "link", "touch"),
                    Arg.path("src"), Arg.bool("recurse").defaultsTo(false), Arg.bool("force").defaultsTo(false),
                    Arg.bool("follow").defaultsTo(true), Arg.str("modification_time"),
                    Arg.str("modification_time_format").defaultsTo(TIME_FORMAT), Arg.str("access_time"),
                    Arg.str("access_time_format").defaultsTo(TIME_FORMAT), Arg.bool("unsafe_writes"))
            .add(FileArgs.ATTRIBUTES)
            .build();

    /** The final stat the change script prints after the marker. */
    private static final String FINAL = "echo @@; stat -c '%f|%u|%g|%U|%G|%s|%h' -- \"$p\"\n";

    public String name() {
        return "file";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException {
        FileMode.validate(ctx.raw("mode"));
        String mtime = time(ctx, "modification_time");
        String atime = time(ctx, "access_time");
        String given = ctx.str("state");
        if (ctx.has("src") && given != null && !given.equals("link") && !given.equals("hard")) {
            throw new ModuleException("argument 'src' requires state to be 'link' or 'hard'");
        }
        if (ctx.bool("recurse") && given != null && !given.equals("directory")) {
            throw new ModuleException("argument 'recurse' requires state to be 'directory'");
        }
        if ("hard".equals(given) && !ctx.has("src")) {
            throw new ModuleException("argument 'src' is required for state=hard");
        }
        String path = ctx.str("path");
        try {
            RemoteFiles.Info info = RemoteFiles.inspect(ctx, name(), path, false, null, false);
            String prev = PathInfo.state(info);
            String state = given != null ? given
                    : !prev.equals("absent") ? (prev.equals("hard") ? "file" : prev)
                    : ctx.bool("recurse") ? "directory" : "file";
            if (ctx.bool("recurse") && !state.equals("directory")) {
                throw new ModuleException("argument 'recurse' requires state to be 'directory'");
            }
            boolean follow = ctx.bool("follow");
            if (follow && prev.equals("link") && !info.realPath().isEmpty()
                    && (state.equals("file") || state.equals("directory") || state.equals("touch"))) {
                path = info.realPath();
                info = RemoteFiles.inspect(ctx, name(), path, false, null, false);
                prev = PathInfo.state(info);
            }
            return switch (state) {
                case "absent" -> absent(ctx, path, info, prev);
                case "link" -> link(ctx, path, info, prev);
                case "hard" -> hard(ctx, path, info, prev);
                default -> fileDirTouch(ctx, state, path, info, prev, mtime, atime);
            };
        } catch (RemoteFiles.HostFailure e) {
            return TaskOutcome.failed(e.getMessage());
        }
    }

    /** A time argument as {@code touch -t} takes it, or "now"/"preserve"/null. */
    private static String time(ModuleContext ctx, String arg) throws ModuleException {
        String v = ctx.str(arg);
        if (!ctx.str(arg + "_format").equals(TIME_FORMAT)) {
            throw new ModuleException("argument '" + arg + "_format' other than '" + TIME_FORMAT
                    + "' is not supported by fleet");
        }
        if (v == null || v.equals("now") || v.equals("preserve")) return v;
        if (!v.matches("\\d{12}\\.\\d{2}")) {
            throw new ModuleException("argument '" + arg + "' must be 'now', 'preserve' or a time in the format "
                    + TIME_FORMAT + " (202401311200.00), found '" + v + "'");
        }
        return v;
    }

    // ---- states ----------------------------------------------------------------------------------------------

    private TaskOutcome absent(ModuleContext ctx, String path, RemoteFiles.Info info, String prev)
            throws TransportException, RemoteFiles.HostFailure {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("path", path);
        data.put("state", "absent");
        if (!info.exists()) return TaskOutcome.ok("").withData(data);
        if (ctx.diff()) data.put("diff", diff(path, "state", prev, "absent"));
        if (!ctx.check()) run(ctx, "rm -rf -- " + ShellQuote.quote(path), "cannot remove " + path);
        return TaskOutcome.changed("").withData(data);
    }

    private TaskOutcome fileDirTouch(ModuleContext ctx, String state, String path, RemoteFiles.Info info,
            String prev, String mtime, String atime) throws TransportException, ModuleException,
            RemoteFiles.HostFailure {
        String key = state.equals("touch") ? "dest" : "path";
        boolean isDirState = state.equals("directory");
        if (state.equals("file") && prev.equals("absent")) {
            return TaskOutcome.failed("file (" + path + ") is absent, cannot continue")
                    .withData(Map.of("path", path, "state", "absent"));
        }
        if (state.equals("file") && !prev.equals("file") && !prev.equals("hard")) {
            return TaskOutcome.failed("file (" + path + ") is " + prev + ", cannot continue")
                    .withData(Map.of("path", path, "state", prev));
        }
        if (isDirState && !prev.equals("absent") && !prev.equals("directory")) {
            return TaskOutcome.failed(path + " already exists as a " + prev).withData(PathInfo.of("path", path, info));
        }
        if (state.equals("touch") && mtime == null) mtime = "now";
        if (state.equals("touch") && atime == null) atime = "now";
        Map<String, Object> before = new LinkedHashMap<>(Map.of("path", path));
        Map<String, Object> after = new LinkedHashMap<>(Map.of("path", path));
        StringBuilder s = new StringBuilder("p=" + ShellQuote.quote(path) + "\n");
        boolean changed = false;
        if (!info.exists()) {
            changed = true;
            before.put("state", "absent");
            after.put("state", state);
            if (isDirState) {
                s.append(mkdirs(ctx, path));
            } else {
                s.append(": > \"$p\" || exit 3\n");
                s.append(attrScript(ctx, null, false));
            }
        } else {
            if (state.equals("touch")) {
                before.put("state", prev);
                after.put("state", "touch");
            }
            FileAttrs attrs = FileAttrs.owners(ctx)
                    .withMode(FileMode.resolve(ctx.raw("mode"), info.mode(), info.isDir()));
            if (!attrs.satisfiedBy(info)) {
                changed = true;
                attrDiff(info, attrs, before, after);
                s.append(attrScript(ctx, attrs, false));
            }
        }
        boolean timesChanged = false;
        for (String[] t : new String[][] {{mtime, "-m"}, {atime, "-a"}}) {
            if (t[0] == null || t[0].equals("preserve")) continue;
            if (t[0].equals("now")) {
                timesChanged = true;
                s.append("touch -c ").append(t[1]).append(" -- \"$p\" || exit 7\n");
            } else {
                long want = epoch(ctx, t[0]);
                long have = t[1].equals("-m") ? info.mtime() : info.atime();
                if (!info.exists() || want != have) {
                    timesChanged = true;
                    s.append("touch -c ").append(t[1]).append(" -t ").append(t[0]).append(" -- \"$p\" || exit 7\n");
                }
            }
        }
        changed |= timesChanged;
        if (isDirState && ctx.bool("recurse")) changed |= recurse(ctx, path, s);
        Map<String, Object> data = new LinkedHashMap<>();
        if (changed && !ctx.check()) {
            data.putAll(finish(ctx, key, path, s));
        } else {
            data.putAll(info.exists() ? PathInfo.of(key, path, info) : Map.of(key, path, "state", "absent"));
        }
        if (ctx.diff() && (before.size() > 1 || after.size() > 1)) data.put("diff", Map.of("before", before,
                "after", after));
        return (changed ? TaskOutcome.changed("") : TaskOutcome.ok("")).withData(data);
    }

    /** Creates each missing directory of {@code path} in turn, giving each the requested attributes. */
    private static String mkdirs(ModuleContext ctx, String path) throws ModuleException {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder(path.startsWith("/") ? "" : ".");
        for (String part : path.split("/")) {
            if (part.isEmpty()) continue;
            cur.append('/').append(part);
            parts.add(cur.toString());
        }
        StringBuilder s = new StringBuilder();
        for (String d : parts) {
            s.append("d=").append(ShellQuote.quote(d)).append("; if [ ! -d \"$d\" ]; then mkdir -- \"$d\" || exit 3\n")
                    .append(attrScript(ctx, null, false).replace("\"$p\"", "\"$d\"")).append("fi\n");
        }
        return s.toString();
    }

    /**
     * Commands giving {@code "$p"} the attributes: {@code attrs} resolved for an existing path, or (null) the
     * arguments as given for one just created, where a symbolic mode is left to chmod.
     */
    private static String attrScript(ModuleContext ctx, FileAttrs attrs, boolean noDeref)
            throws ModuleException {
        FileAttrs a = attrs != null ? attrs : FileAttrs.owners(ctx);
        StringBuilder s = new StringBuilder();
        String h = noDeref ? "-h " : "";
        if (a.owner() != null) s.append("chown ").append(h).append("-- ").append(ShellQuote.quote(a.owner()))
                .append(" \"$p\" || exit 5\n");
        if (a.group() != null) s.append("chgrp ").append(h).append("-- ").append(ShellQuote.quote(a.group()))
                .append(" \"$p\" || exit 6\n");
        String mode = attrs != null ? (attrs.mode() == null ? null : FileAttrs.octal(attrs.mode()))
                : modeWord(ctx);
        if (mode != null && !noDeref) {
            s.append("chmod -- ").append(ShellQuote.quote(mode)).append(" \"$p\" || exit 4\n");
        }
        return s.toString();
    }

    /** The mode as chmod takes it: octal digits, or the symbolic text. */
    private static String modeWord(ModuleContext ctx) throws ModuleException {
        Object raw = ctx.raw("mode");
        if (raw == null) return null;
        return FileMode.isSymbolic(raw) ? String.valueOf(raw).strip() : FileAttrs.octal(FileAttrs.parseMode(raw));
    }

    /** Adds recursive chown/chmod below {@code path} to {@code s} if anything there differs; whether it does. */
    private static boolean recurse(ModuleContext ctx, String path, StringBuilder s)
            throws TransportException, ModuleException, RemoteFiles.HostFailure {
        Object raw = ctx.raw("mode");
        String owner = ctx.str("owner");
        String group = ctx.str("group");
        if (raw == null && owner == null && group == null) return false;
        CommandResult r = RemoteFiles.sh(ctx, "find " + ShellQuote.quote(path) + " -mindepth 1 ! -type l -printf "
                + "'%m|%y|%U|%G|%u|%g\\n'");
        if (r.exitCode() != 0) throw new RemoteFiles.HostFailure("file: cannot list " + path + ": "
                + RemoteFiles.reason(r.stderr()));
        boolean differs = false;
        for (String line : r.stdout().lines().toList()) {
            String[] f = line.split("\\|", -1);
            if (f.length != 6) continue;
            int mode = Integer.parseInt(f[0], 8);
            Integer want = FileMode.resolve(raw, mode, f[1].equals("d"));
            boolean modeDiffers = want != null && want != mode;
            boolean ownerDiffers = owner != null && !owner.equals(isNum(owner) ? f[2] : f[4]);
            boolean groupDiffers = group != null && !group.equals(isNum(group) ? f[3] : f[5]);
            if (modeDiffers || ownerDiffers || groupDiffers) {
                differs = true;
                break;
            }
        }
        if (!differs) return false;
        if (owner != null) s.append("chown -R -- ").append(ShellQuote.quote(owner)).append(" \"$p\" || exit 5\n");
        if (group != null) s.append("chgrp -R -- ").append(ShellQuote.quote(group)).append(" \"$p\" || exit 6\n");
        if (raw != null) s.append("chmod -R -- ").append(ShellQuote.quote(modeWord(ctx))).append(" \"$p\" || exit 4\n");
        return true;
    }

    private static boolean isNum(String s) {
        return s.chars().allMatch(Character::isDigit);
    }

    /** What {@code touch -t stamp} means on the host, in epoch seconds (the host's time zone). */
    private static long epoch(ModuleContext ctx, String stamp) throws TransportException, RemoteFiles.HostFailure {
        CommandResult r = RemoteFiles.sh(ctx, "t=$(mktemp) || exit 1; touch -m -t " + stamp + " \"$t\" && "
                + "stat -c %Y \"$t\"; rc=$?; rm -f \"$t\"; exit $rc");
        try {
            if (r.exitCode() == 0) return Long.parseLong(r.stdout().strip());
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new RemoteFiles.HostFailure("file: invalid time " + stamp + ": " + RemoteFiles.reason(r.stderr()));
    }

    private TaskOutcome link(ModuleContext ctx, String path, RemoteFiles.Info info, String prev)
            throws TransportException, ModuleException, RemoteFiles.HostFailure {
        String src = ctx.str("src");
        if (src == null) {
            if (!prev.equals("link")) return TaskOutcome.failed("src is required for creating new symlinks");
            src = info.linkTarget();
        }
        int slash = path.lastIndexOf('/');
        String abs = src.startsWith("/") || slash < 0 ? src : path.substring(0, slash + 1) + src;
        RemoteFiles.Info target = RemoteFiles.inspect(ctx, name(), abs, true, null, false);
        boolean force = ctx.bool("force");
        if (!target.exists() && !force) {
            return TaskOutcome.failed("src file does not exist, use \"force=yes\" if you really want to create the"
                    + " link: " + abs).withData(info.exists() ? PathInfo.of("path", path, info) : Map.of("path", path));
        }
        StringBuilder s = new StringBuilder("p=" + ShellQuote.quote(path) + "\n");
        Map<String, Object> diff = null;
        boolean changed = false;
        switch (prev) {
            case "absent" -> {
                diff = diff(path, "state", "absent", "link");
                s.append("ln -s -- ").append(ShellQuote.quote(src)).append(" \"$p\" || exit 3\n");
            }
            case "link" -> {
                if (!info.linkTarget().equals(src)) {
                    diff = diff(path, "src", info.linkTarget(), src);
                    s.append("ln -sfn -- ").append(ShellQuote.quote(src)).append(" \"$p\" || exit 3\n");
                }
            }
            case "directory" -> {
                if (!force) return TaskOutcome.failed("refusing to convert from directory to symlink for " + path);
                diff = diff(path, "state", "directory", "link");
                s.append("rmdir -- \"$p\" 2>/dev/null || { echo 'the directory " + path.replace("'", "")
                        + " is not empty, refusing to convert it' >&2; exit 8; }\n");
                s.append("ln -s -- ").append(ShellQuote.quote(src)).append(" \"$p\" || exit 3\n");
            }
            default -> {
                if (!force) return TaskOutcome.failed("refusing to convert from " + prev + " to symlink for " + path);
                diff = diff(path, "state", prev, "link");
                s.append("ln -sfn -- ").append(ShellQuote.quote(src)).append(" \"$p\" || exit 3\n");
            }
        }
        changed = diff != null;
        // owner/group on the link itself; mode (and, following, owner/group) on an existing target
        if (ctx.bool("follow") && target.exists()) {
            FileAttrs attrs = FileAttrs.owners(ctx)
                    .withMode(FileMode.resolve(ctx.raw("mode"), target.mode(), target.isDir()));
            if (!attrs.satisfiedBy(target)) {
                changed = true;
                s.append("p=").append(ShellQuote.quote(abs)).append('\n').append(attrScript(ctx, attrs, false))
                        .append("p=").append(ShellQuote.quote(path)).append('\n');
            }
        } else {
            FileAttrs attrs = FileAttrs.owners(ctx);
            if (!info.isLink() || !attrs.satisfiedBy(info)) {
                changed |= attrs.owner() != null || attrs.group() != null;
                s.append(attrScript(ctx, attrs, true));
            }
        }
        return linkResult(ctx, "link", path, src, info, changed, diff, s);
    }

    private TaskOutcome hard(ModuleContext ctx, String path, RemoteFiles.Info info, String prev)
            throws TransportException, ModuleException, RemoteFiles.HostFailure {
        String src = ctx.str("src");
        RemoteFiles.Info target = RemoteFiles.inspect(ctx, name(), src, true, null, false);
        if (!target.exists()) return TaskOutcome.failed("src does not exist").withData(Map.of("path", path));
        boolean same = info.exists() && !info.isLink() && info.inode() == target.inode() && info.dev() == target.dev();
        StringBuilder s = new StringBuilder("p=" + ShellQuote.quote(path) + "\n");
        Map<String, Object> diff = null;
        if (!same) {
            if (prev.equals("directory")) {
                return TaskOutcome.failed("Cannot link, directory exists at destination");
            }
            if (!prev.equals("absent") && !ctx.bool("force")) {
                return TaskOutcome.failed(prev.equals("hard") ? "Cannot link, different hard link exists at"
                        + " destination" : "Cannot link, " + prev + " exists at destination");
            }
            diff = diff(path, "state", prev, "hard");
            s.append("ln -f -- ").append(ShellQuote.quote(src)).append(" \"$p\" || exit 3\n");
        }
        FileAttrs attrs = FileAttrs.owners(ctx)
                .withMode(FileMode.resolve(ctx.raw("mode"), target.mode(), false));
        boolean changed = diff != null;
        if (!attrs.satisfiedBy(target)) {
            changed = true;
            s.append(attrScript(ctx, attrs, false));
        }
        return linkResult(ctx, "hard", path, src, same ? info : target, changed, diff, s);
    }

    private TaskOutcome linkResult(ModuleContext ctx, String state, String path, String src, RemoteFiles.Info info,
            boolean changed, Map<String, Object> diff, StringBuilder s)
            throws TransportException, RemoteFiles.HostFailure {
        Map<String, Object> data = new LinkedHashMap<>();
        if (changed && !ctx.check()) {
            data.putAll(finish(ctx, "dest", path, s));
        } else if (info.exists() && (PathInfo.state(info).equals(state) || state.equals("hard"))) {
            data.putAll(PathInfo.of("dest", path, info));
        } else {
            data.put("dest", path);
            data.put("state", state);
        }
        if (state.equals("hard") && changed && ctx.check()) data.put("state", "hard");
        data.put("src", src);
        if (ctx.diff() && diff != null) data.put("diff", diff);
        return (changed ? TaskOutcome.changed("") : TaskOutcome.ok("")).withData(data);
    }

    // ---- results ---------------------------------------------------------------------------------------------

    /** Runs the change script {@code s} and returns the changed path's stat as Ansible reports it. */
    private static Map<String, Object> finish(ModuleContext ctx, String key, String path, StringBuilder s)
            throws TransportException, RemoteFiles.HostFailure {
        s.append(FINAL);
        CommandResult r = RemoteFiles.sh(ctx, s.toString());
        String why = RemoteFiles.reason(r.stderr());
        if (r.exitCode() != 0) {
            String what = switch (r.exitCode()) {
                case 3 -> "cannot create " + path;
                case 4 -> "cannot set mode of " + path;
                case 5 -> "cannot set owner of " + path;
                case 6 -> "cannot set group of " + path;
                case 7 -> "cannot set times of " + path;
                case 8 -> "cannot replace " + path;
                default -> "cannot change " + path;
            };
            throw new RemoteFiles.HostFailure(r.exitCode() == 8 ? r.stderr().strip() : "file: " + what + ": " + why);
        }
        String out = r.stdout();
        int at = out.lastIndexOf("@@\n");
        String[] f = out.substring(at < 0 ? 0 : at + 3).strip().split("\\|", -1);
        if (f.length != 7) throw new RemoteFiles.HostFailure("file: unexpected stat output for " + path + ": " + out);
        int raw = Integer.parseInt(f[0], 16);
        RemoteFiles.Info i = new RemoteFiles.Info(path, true, RemoteFiles.Parent.EXISTS, raw, Long.parseLong(f[1]),
                Long.parseLong(f[2]), f[3], f[4], Long.parseLong(f[5]), 0, 0, 0, 0, Long.parseLong(f[6]), 0, false,
                false, false, "", "", "", null, false);
        return PathInfo.of(key, path, i);
    }

    private static Map<String, Object> diff(String path, String what, String before, String after) {
        return Map.of("before", Map.of("path", path, what, before), "after", Map.of("path", path, what, after));
    }

    private static void attrDiff(RemoteFiles.Info info, FileAttrs attrs, Map<String, Object> before,
            Map<String, Object> after) {
        if (attrs.mode() != null && attrs.mode() != info.mode()) {
            before.put("mode", FileAttrs.octal(info.mode()));
            after.put("mode", FileAttrs.octal(attrs.mode()));
        }
        if (attrs.owner() != null && !attrs.owner().equals(info.owner())
                && !attrs.owner().equals(String.valueOf(info.uid()))) {
            before.put("owner", info.owner());
            after.put("owner", attrs.owner());
        }
        if (attrs.group() != null && !attrs.group().equals(info.group())
                && !attrs.group().equals(String.valueOf(info.gid()))) {
            before.put("group", info.group());
            after.put("group", attrs.group());
        }
    }

    private static void run(ModuleContext ctx, String script, String what)
            throws TransportException, RemoteFiles.HostFailure {
        CommandResult r = RemoteFiles.sh(ctx, script);
        if (r.exitCode() != 0) {
            throw new RemoteFiles.HostFailure("file: " + what + ": " + RemoteFiles.reason(r.stderr()));
        }
    }
}
