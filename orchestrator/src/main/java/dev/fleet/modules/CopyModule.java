package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.transport.TransportException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;

/**
 * {@code copy}: puts {@code content} or a controller file ({@code src}, looked up under {@code files/}) at
 * {@code dest}. Compares the remote file's sha1 with the local bytes first (one round trip) and uploads only if
 * they differ; then the file is replaced atomically. Returns {@code dest}, {@code checksum}, {@code size}.
 */
final class CopyModule implements Module {
    /** What copy and template share: how the file is put in place. */
    static final List<Arg> PLACING = List.of(Arg.bool("force").aliases("thirsty").defaultsTo(true),
            Arg.bool("backup").defaultsTo(false), Arg.bool("follow").defaultsTo(false), FileArgs.VALIDATE);

    /** {@code content} is raw: a mapping or list is written as JSON, as Ansible's copy does. */
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.path("src"), Arg.raw("content").noLog(), Arg.path("dest").required())
            .add(PLACING)
            .add(FileArgs.ATTRIBUTES)
            .mutuallyExclusive("src", "content")
            .requiredOneOf("src", "content")
            .build();

    public String name() {
        return "copy";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException {
        boolean preserve = "preserve".equals(ctx.raw("mode"));
        byte[] bytes;
        String srcName = null;
        Integer preservedMode = null;
        if (ctx.has("src")) {
            Path src = ctx.localFile(ctx.str("src"), "files");
            try {
                bytes = Files.readAllBytes(src);
                if (preserve) preservedMode = posixMode(src);
            } catch (IOException e) {
                throw new ModuleException("cannot read src " + src + ": " + e.getMessage());
            }
            srcName = src.getFileName().toString();
        } else {
            if (preserve) throw new ModuleException("mode=preserve needs 'src'");
            Object content = ctx.raw("content");
            bytes = content instanceof Map<?, ?> || content instanceof java.util.List<?>
                    ? io.vertx.core.json.Json.encode(content).getBytes(StandardCharsets.UTF_8)
                    : String.valueOf(content).getBytes(StandardCharsets.UTF_8);
        }
        RemoteFiles.Attrs attrs = preserve ? RemoteFiles.Attrs.owners(ctx).withMode(preservedMode)
                : RemoteFiles.Attrs.of(ctx);
        return place(ctx, name(), ctx.str("dest"), bytes, srcName, attrs);
    }

    /** Shared by copy and template: compare by checksum, upload only if different, apply attributes. */
    static TaskOutcome place(ModuleContext ctx, String module, String dest, byte[] content, String srcName,
            RemoteFiles.Attrs attrs) throws TransportException, ModuleException {
        boolean force = ctx.bool("force");
        boolean backup = ctx.bool("backup");
        boolean follow = ctx.bool("follow");
        String validate = FileArgs.validate(ctx);
        String checksum = sha1(content);
        try {
            RemoteFiles.Info info = RemoteFiles.inspect(ctx, module, dest, true, "sha1sum", ctx.diff());
            if (dest.endsWith("/") || info.isDir()) {
                if (srcName == null) {
                    return TaskOutcome.failed(module + ": cannot use content with a directory as dest (" + dest + ")");
                }
                dest = (dest.endsWith("/") ? dest : dest + "/") + srcName;
                info = RemoteFiles.inspect(ctx, module, dest, true, "sha1sum", ctx.diff());
                if (info.isDir()) return TaskOutcome.failed(module + ": " + dest + " is a directory");
            }
            if (!info.exists() && info.parent() != RemoteFiles.Parent.EXISTS) {
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
                backupFile = RemoteFiles.write(ctx, module, target, content, attrs, info, false, backup, validate);
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

    private static int posixMode(Path p) throws IOException {
        int mode = 0;
        for (PosixFilePermission perm : Files.getPosixFilePermissions(p)) {
            mode |= switch (perm) {
                case OWNER_READ -> 0400;
                case OWNER_WRITE -> 0200;
                case OWNER_EXECUTE -> 0100;
                case GROUP_READ -> 040;
                case GROUP_WRITE -> 020;
                case GROUP_EXECUTE -> 010;
                case OTHERS_READ -> 04;
                case OTHERS_WRITE -> 02;
                case OTHERS_EXECUTE -> 01;
            };
        }
        return mode;
    }
}
