package dev.fleet.modules;

import dev.fleet.result.UnifiedDiff;
import dev.fleet.result.TaskOutcome;
import dev.fleet.transport.TransportException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code copy} and {@code template} share: their placement arguments and putting given bytes at
 * {@code dest} (checksum first, upload only when different, atomic replace, attributes, backup, diff).
 */
final class FilePlacement {
    private FilePlacement() {}

    /** force, backup, follow, validate. */
    static final List<Arg> ARGS = List.of(Arg.bool("force").aliases("thirsty").defaultsTo(true),
            Arg.bool("backup").defaultsTo(false), Arg.bool("follow").defaultsTo(false), FileArgs.VALIDATE);

    /** Compares by checksum, uploads only if different, applies attributes. */
    static TaskOutcome place(ModuleContext ctx, String module, String dest, byte[] content, String srcName,
            FileAttrs attrs) throws TransportException, ModuleException {
        boolean force = ctx.bool("force");
        boolean backup = ctx.bool("backup");
        boolean follow = ctx.bool("follow");
        String validate = FileArgs.validate(ctx);
        String checksum = sha1(content);
        try {
            RemoteFiles.Info info = RemoteFiles.inspect(ctx, module, dest, true, "sha1sum", ctx.diff());
            // A dest ending in '/' names a directory that Ansible creates, parents and all, when it is missing.
            boolean makeDirs = dest.endsWith("/");
            if (dest.endsWith("/") || info.isDir()) {
                if (srcName == null) {
                    return TaskOutcome.failed(module + ": cannot use content with a directory as dest (" + dest + ")");
                }
                dest = (dest.endsWith("/") ? dest : dest + "/") + srcName;
                info = RemoteFiles.inspect(ctx, module, dest, true, "sha1sum", ctx.diff());
                if (info.isDir()) return TaskOutcome.failed(module + ": " + dest + " is a directory");
            }
            boolean creatable = makeDirs && info.parent() == RemoteFiles.Parent.MISSING;
            if (!info.exists() && info.parent() != RemoteFiles.Parent.EXISTS && !creatable) {
                String dir = dest.lastIndexOf('/') > 0 ? dest.substring(0, dest.lastIndexOf('/')) : ".";
                return TaskOutcome.failed(module + ": cannot write " + dest + ": destination directory " + dir
                        + (info.parent() == RemoteFiles.Parent.MISSING ? " does not exist" : " is not a directory"));
            }
            if (info.exists() && !info.isReg() && !info.isLink()) {
                return TaskOutcome.failed(module + ": " + dest + " exists and is not a regular file");
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("dest", dest);
            data.put("checksum", checksum);
            data.put("size", (long) content.length);
            if (info.exists() && !force) {
                data.put("changed", false);
                return TaskOutcome.ok("file already exists (force: false)").withData(data);
            }
            boolean contentChanged = !info.exists() || !checksum.equals(info.checksum());
            String backupFile = "";
            if (contentChanged && !ctx.check()) {
                String target = follow ? info.writePath() : dest;
                backupFile = RemoteFiles.write(ctx, module, target, content, attrs, info, creatable, backup,
                        validate);
            }
            boolean attrsChanged = !contentChanged && RemoteFiles.applyAttrs(ctx, module, info, attrs);
            boolean changed = contentChanged || attrsChanged;
            data.put("changed", changed);
            if (!backupFile.isEmpty()) data.put("backup_file", backupFile);
            if (ctx.diff()) data.put("diff", contentChanged ? diff(info, content, dest) : "");
            String msg = contentChanged ? (info.exists() ? "file replaced" : "file created")
                    : attrsChanged ? "ownership, perms or SE linux context changed" : "";
            return (changed ? TaskOutcome.changed(msg) : TaskOutcome.ok(msg)).withData(data);
        } catch (RemoteFiles.HostFailure e) {
            return TaskOutcome.failed(e.getMessage());
        }
    }

    private static String diff(RemoteFiles.Info info, byte[] content, String dest) {
        String after = RemoteFiles.utf8(content);
        String before = !info.exists() ? "" : info.content() == null ? null : RemoteFiles.utf8(info.content());
        if (before == null || after == null) {
            return "--- before: " + dest + "\n+++ after: " + dest + "\n"
                    + "(binary or larger than " + RemoteFiles.MAX_CONTENT / (1024 * 1024) + " MiB: "
                    + (info.exists() ? info.size() : 0) + " bytes before, " + content.length + " bytes after)\n";
        }
        return UnifiedDiff.diff(before, after, dest);
    }

    static String sha1(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
