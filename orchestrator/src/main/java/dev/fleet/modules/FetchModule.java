package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.transport.TransportException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code fetch}: copies a remote file to the controller, copy's reverse. One round trip reads the file's stat,
 * sha1 and content (base64, at most {@link RemoteFiles#MAX_CONTENT}); the local file is written (atomically, by
 * a rename) only when its sha1 differs. It lands at {@code dest/<inventory_hostname>/<src>} or, with
 * {@code flat}, at {@code dest} itself ({@code dest/<basename>} when {@code dest} ends with {@code /}), as in
 * Ansible. Every write stays under {@code dest}: a {@code src} or host name that would climb out of it is
 * refused. Check mode is skipped, as Ansible 2.14's fetch does. Ansible's always-null {@code remote_md5sum} is
 * left out (task results hold no top-level nulls).
 */
final class FetchModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.path("src").required(), Arg.path("dest").required(), Arg.bool("flat").defaultsTo(false),
                    Arg.bool("fail_on_missing").defaultsTo(true), Arg.bool("validate_checksum").defaultsTo(true))
            .build();

    public String name() {
        return "fetch";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException {
        if (ctx.check()) return TaskOutcome.skipped("check mode not (yet) supported for this module");
        String src = ctx.str("src");
        Path local = localDest(ctx, src);
        RemoteFiles.Info info;
        try {
            info = RemoteFiles.inspect(ctx, name(), src, true, "sha1sum", true);
        } catch (RemoteFiles.HostFailure e) {
            return TaskOutcome.failed(e.getMessage());
        }
        if (!info.exists()) {
            String msg = "the remote file does not exist, not transferring, ignored";
            return ctx.bool("fail_on_missing") ? TaskOutcome.failed(msg)
                    : TaskOutcome.ok(msg).withData(Map.of("file", src));
        }
        if (info.isDir()) return TaskOutcome.failed("remote file is a directory, fetch cannot work on directories");
        if (info.tooLarge()) {
            return TaskOutcome.failed("fetch: " + src + " is larger than " + RemoteFiles.MAX_CONTENT / (1024 * 1024)
                    + " MiB, the most fleet fetches");
        }
        if (info.content() == null) {
            String msg = !info.readable() ? "file (" + src + ") is not readable" : src + " is not a regular file";
            return ctx.bool("fail_on_missing") ? TaskOutcome.failed(msg)
                    : TaskOutcome.ok(msg).withData(Map.of("file", src));
        }
        byte[] bytes = info.content();
        String remoteSum = info.checksum();
        String got = digest("SHA-1", bytes);
        if (ctx.bool("validate_checksum") && !remoteSum.isEmpty() && !remoteSum.equals(got)) {
            return TaskOutcome.failed("checksum mismatch").withData(Map.of("file", src, "dest", local.toString(),
                    "remote_checksum", remoteSum, "checksum", got));
        }
        try {
            if (Files.isRegularFile(local) && digest("SHA-1", Files.readAllBytes(local)).equals(got)) {
                return TaskOutcome.ok("").withData(Map.of("checksum", got, "dest", local.toString(), "file", src,
                        "md5sum", digest("MD5", bytes)));
            }
            if (Files.isDirectory(local)) {
                return TaskOutcome.failed("dest " + local + " is a directory; give a file path, or flat: no");
            }
            Files.createDirectories(local.getParent());
            Path tmp = Files.createTempFile(local.getParent(), "." + local.getFileName(), ".fleet-tmp");
            try {
                Files.write(tmp, bytes);
                Files.move(tmp, local, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            return TaskOutcome.failed("cannot write " + local + " on the controller: " + e);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("checksum", got);
        data.put("dest", local.toString());
        data.put("md5sum", digest("MD5", bytes));
        data.put("remote_checksum", remoteSum.isEmpty() ? got : remoteSum);
        return TaskOutcome.changed("").withData(data);
    }

    /** Where the file goes on the controller; never outside {@code dest}. */
    static Path localDest(ModuleContext ctx, String src) throws ModuleException {
        String destArg = ctx.str("dest");
        Path base = ctx.playbookDir() == null ? Path.of(destArg) : ctx.playbookDir().resolve(destArg);
        base = base.toAbsolutePath().normalize();
        Path out;
        Path root;
        if (ctx.bool("flat")) {
            String name = src.substring(src.lastIndexOf('/') + 1);
            if (destArg.endsWith("/")) {
                root = base;
                out = base.resolve(name);
            } else {
                root = base.getParent() == null ? base : base.getParent();
                out = base;
            }
            if (name.isEmpty() || name.equals("..") || name.equals(".")) {
                throw new ModuleException("fetch: src '" + src + "' does not name a file");
            }
        } else {
            Object host = ctx.vars() == null ? null : ctx.vars().get("inventory_hostname");
            String hostName = host == null ? ctx.session().host() : String.valueOf(host);
            root = base;
            String rel = src.replaceAll("^/+", "");
            out = base.resolve(hostName).resolve(rel).normalize();
            if (!out.startsWith(base.resolve(hostName).normalize()) || hostName.contains("/")) {
                throw new ModuleException("fetch: '" + src + "' on host '" + hostName + "' would be written outside"
                        + " dest " + base + "; refusing");
            }
        }
        out = out.normalize();
        if (!out.startsWith(root) || out.equals(root)) {
            throw new ModuleException("fetch: '" + src + "' would be written outside dest " + root + "; refusing");
        }
        return out;
    }

    static String digest(String algorithm, byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
