package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.util.Map;

/**
 * {@code slurp}: a remote file's content, base64-encoded as Ansible returns it ({@code content},
 * {@code encoding: base64}, {@code source}), read with {@code base64} in one round trip. Never changes anything,
 * so it runs in check mode too. Files over {@link RemoteFiles#MAX_CONTENT} are refused (the transport caps output).
 */
final class SlurpModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.path("src").required().aliases("path"))
            .build();

    public String name() {
        return "slurp";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException {
        String src = ctx.str("src");
        CommandResult r = RemoteFiles.sh(ctx, "p=" + ShellQuote.quote(src) + "\n"
                + "if [ -d \"$p\" ]; then exit 3; fi\n"
                + "if [ ! -e \"$p\" ]; then exit 2; fi\n"
                + "if [ ! -r \"$p\" ]; then exit 4; fi\n"
                + "if [ -f \"$p\" ] && [ \"$(stat -L -c %s -- \"$p\")\" -gt " + RemoteFiles.MAX_CONTENT
                + " ]; then exit 6; fi\n"
                + "if [ -f \"$p\" ]; then base64 < \"$p\" || exit 5; exit 0; fi\n"
                // A device or FIFO has no size to check first (/dev/zero never ends): read one byte past the limit.
                + "head -c " + (RemoteFiles.MAX_CONTENT + 1) + " < \"$p\" | base64\n");
        String content = r.exitCode() == 0 ? r.stdout().replaceAll("\\s", "") : "";
        int exit = decodedLength(content) > RemoteFiles.MAX_CONTENT ? 6 : r.exitCode();
        return switch (exit) {
            case 0 -> TaskOutcome.ok("").withData(Map.of("content", content, "encoding", "base64", "source", src));
            case 2 -> TaskOutcome.failed("file not found: " + src);
            case 3 -> TaskOutcome.failed("source is a directory and must be a file: " + src);
            case 4 -> TaskOutcome.failed("file is not readable: " + src);
            case 6 -> TaskOutcome.failed("slurp: " + src + " is larger than "
                    + RemoteFiles.MAX_CONTENT / (1024 * 1024) + " MiB; fleet does not read files that large");
            default -> TaskOutcome.failed("slurp: cannot read " + src + ": " + RemoteFiles.reason(r.stderr()));
        };
    }

    /** How many bytes a base64 text stands for. */
    private static long decodedLength(String base64) {
        int pad = base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0;
        return base64.length() / 4 * 3L - pad;
    }
}
