package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code unarchive}: unpacks a tar (gz, bz2, xz) or zip archive into an existing directory on the host with the
 * host's GNU tar or unzip ({@link ArchiveFormat}). The archive comes from the controller (uploaded to a temporary
 * directory, removed afterwards) or, with {@code remote_src}, is already on the host or is downloaded there from a
 * URL. Nothing is extracted when {@code dest} already holds the members (Ansible's comparison: tar --diff; for
 * zip, fleet compares with a scratch extraction). As in Ansible, {@code --check} is supported for zip only: a tar
 * archive's task is skipped. Symbolic {@code mode}s are not supported (octal only).
 */
final class UnarchiveModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.path("src").required(), Arg.path("dest").required(), Arg.bool("remote_src").defaultsTo(false),
                    Arg.bool("copy"), Arg.path("creates"), Arg.bool("list_files").defaultsTo(false),
                    Arg.bool("keep_newer").defaultsTo(false), Arg.list("exclude", ArgType.STR),
                    Arg.list("include", ArgType.STR), Arg.list("extra_opts", ArgType.STR),
                    Arg.bool("validate_certs").defaultsTo(true), Arg.integer("io_buffer_size").defaultsTo(65536),
                    Arg.bool("decrypt").defaultsTo(true))
            .add(FileArgs.ATTRIBUTES)
            .mutuallyExclusive("include", "exclude")
            .mutuallyExclusive("copy", "remote_src")
            .build();

    public String name() {
        return "unarchive";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException {
        String dest = ctx.str("dest");
        String creates = ctx.str("creates");
        FileAttrs attrs = FileAttrs.of(ctx);
        boolean remoteSrc = ctx.has("copy") ? !ctx.bool("copy") : ctx.bool("remote_src");
        if (creates != null && RemoteFiles.sh(ctx, "test -e " + ShellQuote.quote(creates)).exitCode() == 0) {
            return TaskOutcome.skipped("skipped, since " + creates + " exists");
        }
        byte[] upload = remoteSrc ? null : readLocal(ctx);
        String scratch = null;
        try {
            RemoteFiles.Info destInfo = RemoteFiles.inspect(ctx, name(), dest, true, null, false);
            if (!destInfo.isDir()) return TaskOutcome.failed("dest '" + dest + "' must be an existing dir");
            String src = ctx.str("src");
            if (upload != null || src.contains("://")) {
                CommandResult made = RemoteFiles.sh(ctx, "mktemp -d");
                if (made.exitCode() != 0) {
                    return TaskOutcome.failed("cannot create a temporary directory on the host: "
                            + RemoteFiles.reason(made.stderr()));
                }
                scratch = made.stdout().strip();
                src = upload != null ? stage(ctx, upload, scratch) : download(ctx, src, scratch);
            }
            return unpack(ctx, src, destInfo, attrs, remoteSrc && scratch == null);
        } catch (RemoteFiles.HostFailure e) {
            return TaskOutcome.failed(e.getMessage());
        } finally {
            if (scratch != null) RemoteFiles.sh(ctx, "rm -rf -- " + ShellQuote.quote(scratch));
        }
    }

    private TaskOutcome unpack(ModuleContext ctx, String src, RemoteFiles.Info destInfo, FileAttrs attrs,
            boolean checkSource) throws TransportException, RemoteFiles.HostFailure {
        String dest = ctx.str("dest");
        if (checkSource) {
            CommandResult r = RemoteFiles.sh(ctx, "s=" + ShellQuote.quote(src) + "; [ -e \"$s\" ] || { echo missing;"
                    + " exit 0; }; [ -r \"$s\" ] || { echo unreadable; exit 0; }; [ -s \"$s\" ] || echo empty");
            String state = r.stdout().strip();
            if (state.equals("missing")) return TaskOutcome.failed("Source '" + src + "' does not exist");
            if (state.equals("unreadable")) return TaskOutcome.failed("Source '" + src + "' not readable");
            if (state.equals("empty")) return TaskOutcome.failed("Invalid archive '" + src + "', the file is 0 bytes");
        }
        CommandResult detected = RemoteFiles.sh(ctx, ArchiveFormat.detectScript(src));
        List<String> answer = detected.stdout().lines().toList();
        ArchiveFormat format = answer.isEmpty() ? null : ArchiveFormat.fromDetection(answer.get(0));
        if (ctx.check() && (format == null || !format.isZip())) {
            return TaskOutcome.skipped("remote module (unarchive) does not support check mode when using gtar");
        }
        if (format == null) {
            return TaskOutcome.failed("Failed to find handler for \"" + src + "\". Make sure the required command to"
                    + " extract the file is installed.\n" + String.join("\n", answer.subList(Math.min(1,
                    answer.size()), answer.size())));
        }
        ArchiveFormat.Options opts = new ArchiveFormat.Options(ctx.strings("exclude"), ctx.strings("include"),
                ctx.strings("extra_opts"), ctx.bool("keep_newer"), attrs.owner(), attrs.group(), attrs.mode() != null);
        CommandResult listed = RemoteFiles.sh(ctx, format.listCommand(src, dest, opts));
        if (listed.exitCode() != 0) {
            return TaskOutcome.failed("Unable to list files in the archive: " + listed.stderr().strip());
        }
        List<String> members = format.members(listed.stdout(), opts);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("dest", dest);
        data.put("handler", format.handler());
        data.put("src", src);
        CommandResult compared = RemoteFiles.sh(ctx, format.unarchivedScript(src, dest, opts, members));
        boolean unarchived = format.isZip() ? compared.exitCode() == 0 : format.tarDiffClean(compared.stdout(), opts);
        boolean changed = !unarchived;
        if (!ctx.check()) {
            if (!unarchived) {
                List<String> argv = format.extractArgv(src, dest, opts);
                CommandResult x = RemoteFiles.sh(ctx, "LC_ALL=C " + ShellQuote.join(argv));
                data.put("extract_results", Map.of("cmd", argv, "rc", x.exitCode(), "out", x.stdout(),
                        "err", x.stderr()));
                if (x.exitCode() != 0) {
                    return TaskOutcome.failed("failed to unpack " + src + " to " + dest).withData(data);
                }
            }
            changed |= applyAttrs(ctx, dest, members, attrs);
        }
        if (ctx.bool("list_files")) data.put("files", members);
        data.put("mode", FileAttrs.octal(destInfo.mode()));
        data.put("owner", destInfo.owner());
        data.put("group", destInfo.group());
        data.put("uid", destInfo.uid());
        data.put("gid", destInfo.gid());
        data.put("state", "directory");
        return (changed ? TaskOutcome.changed("") : TaskOutcome.ok("")).withData(data);
    }

    /**
     * Gives every member, and each member's top directory, the requested mode/owner/group where it differs, as
     * Ansible does after extracting. Returns whether anything differed.
     */
    private boolean applyAttrs(ModuleContext ctx, String dest, List<String> members, FileAttrs attrs)
            throws TransportException, RemoteFiles.HostFailure {
        if (attrs.mode() == null && attrs.owner() == null && attrs.group() == null) return false;
        Set<String> paths = new LinkedHashSet<>(members);
        for (String m : members) {
            if (m.contains("/")) paths.add(m.substring(0, m.indexOf('/')));
        }
        StringBuilder s = new StringBuilder("d=").append(ShellQuote.quote(dest)).append("; c=0\n")
                .append("while IFS= read -r m; do\n  p=\"$d/$m\"; [ -e \"$p\" ] || continue\n");
        if (attrs.owner() != null) {
            String o = ShellQuote.quote(attrs.owner());
            s.append("  case \"$(stat -c '%U %u' -- \"$p\")\" in \"\"").append(o).append("\" \"*|*\" \"")
                    .append(o).append(") ;; *) chown -- ").append(o).append(" \"$p\" || exit 5; c=1;; esac\n");
        }
        if (attrs.group() != null) {
            String g = ShellQuote.quote(attrs.group());
            s.append("  case \"$(stat -c '%G %g' -- \"$p\")\" in \"\"").append(g).append("\" \"*|*\" \"")
                    .append(g).append(") ;; *) chgrp -- ").append(g).append(" \"$p\" || exit 6; c=1;; esac\n");
        }
        if (attrs.mode() != null) {
            String mode = Integer.toOctalString(attrs.mode());
            s.append("  [ \"$(stat -c %a -- \"$p\")\" = ").append(mode).append(" ] || { chmod -- ")
                    .append(FileAttrs.octal(attrs.mode())).append(" \"$p\" || exit 4; c=1; }\n");
        }
        s.append("done <<'__FLEET_MEMBERS__'\n").append(String.join("\n", paths))
                .append("\n__FLEET_MEMBERS__\necho $c\n");
        CommandResult r = RemoteFiles.sh(ctx, s.toString());
        if (r.exitCode() != 0) {
            throw new RemoteFiles.HostFailure("Unexpected error when accessing exploded file: "
                    + RemoteFiles.reason(r.stderr()));
        }
        return r.stdout().strip().equals("1");
    }

    /** The controller's archive, looked up under files/ as Ansible does. */
    private static byte[] readLocal(ModuleContext ctx) throws ModuleException {
        Path p = ctx.localFile(ctx.str("src"), "files");
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new ModuleException("cannot read src " + p + ": " + e.getMessage());
        }
    }

    /** Uploads the controller's archive into the scratch directory; returns its path there. */
    private static String stage(ModuleContext ctx, byte[] content, String scratch) throws TransportException {
        String path = scratch + "/source";
        ctx.session().upload(content, path, 0600);
        return path;
    }

    /** Downloads a remote_src URL on the host into the scratch directory; returns its path there. */
    private String download(ModuleContext ctx, String url, String scratch)
            throws TransportException, RemoteFiles.HostFailure, ModuleException {
        HostDownload.Result got;
        try {
            got = HostDownload.fetch(ctx, new HostDownload.Request(url, scratch, null, null, false),
                    HostDownload.Options.plain(ctx.bool("validate_certs"), 10));
        } catch (HostDownload.NoTool e) {
            throw new RemoteFiles.HostFailure(e.getMessage());
        }
        if (got.noResponse() || got.exit() != 0 || (!url.startsWith("file:") && got.status() != 200)) {
            throw new RemoteFiles.HostFailure("Failure downloading " + url + ", " + (got.noResponse()
                    || got.exit() != 0 ? got.error() : "HTTP Error " + got.status() + ": " + got.reason()));
        }
        return got.tmpPath();
    }
}
