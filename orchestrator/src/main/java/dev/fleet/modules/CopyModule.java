package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.transport.TransportException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;

/**
 * {@code copy}: puts {@code content} or a controller file ({@code src}, looked up under {@code files/}) at
 * {@code dest}. Compares the remote file's sha1 with the local bytes first (one round trip) and uploads only if
 * they differ; then the file is replaced atomically. Returns {@code dest}, {@code checksum}, {@code size}.
 */
final class CopyModule implements Module {
    /** {@code content} is raw: a mapping or list is written as JSON, as Ansible's copy does. */
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.path("src"), Arg.raw("content").noLog(), Arg.path("dest").required())
            .add(FilePlacement.ARGS)
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
        FileAttrs attrs = preserve ? FileAttrs.owners(ctx).withMode(preservedMode)
                : FileAttrs.of(ctx);
        return FilePlacement.place(ctx, name(), ctx.str("dest"), bytes, srcName, attrs);
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
