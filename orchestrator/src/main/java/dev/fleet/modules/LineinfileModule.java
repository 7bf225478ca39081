package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.transport.TransportException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code lineinfile}: makes sure one line is in a file (replacing the last line {@code regexp} matches, else
 * inserting after/before {@code insertafter}/{@code insertbefore}), or that no matching line is. Reads the file
 * in one round trip, computes the new content exactly as Ansible's module does ({@link LineEdits}), and writes it
 * back atomically only if it differs.
 */
final class LineinfileModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.path("path").required().aliases("dest", "destfile", "name"),
                    Arg.str("state").choices("absent", "present").defaultsTo("present"),
                    Arg.str("regexp").aliases("regex"), Arg.str("search_string"), Arg.str("line").aliases("value"),
                    Arg.str("insertafter"), Arg.str("insertbefore"), Arg.bool("backrefs").defaultsTo(false),
                    Arg.bool("create").defaultsTo(false), Arg.bool("backup").defaultsTo(false),
                    Arg.bool("firstmatch").defaultsTo(false), FileArgs.VALIDATE)
            .add(FileArgs.ATTRIBUTES)
            .mutuallyExclusive("insertbefore", "insertafter")
            .mutuallyExclusive("regexp", "search_string")
            .mutuallyExclusive("backrefs", "search_string")
            .requiredIf("state", "present", "line")
            .requiredIf("backrefs", true, "regexp")
            .requiredIfAny("state", "absent", "line", "search_string", "regexp")
            .build();

    public String name() {
        return "lineinfile";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException {
        String path = ctx.str("path");
        boolean present = ctx.str("state").equals("present");
        String line = ctx.str("line");
        String search = ctx.str("search_string");
        String validate = FileArgs.validate(ctx);
        FileAttrs attrs = FileAttrs.of(ctx);
        // Compile (and so validate) the regexes before touching the host.
        Pattern regexp = ctx.has("regexp") ? LineEdits.pyRegex(ctx.str("regexp"), "regexp") : null;
        LineEdits.Insert insert = LineEdits.Insert.of(ctx.str("insertafter"), ctx.str("insertbefore"));

        try {
            RemoteFiles.Info info = RemoteFiles.inspect(ctx, name(), path, true, null, true);
            if (info.isDir()) return TaskOutcome.failed(name() + ": " + path + " is a directory");
            if (!info.exists()) {
                if (!present) return TaskOutcome.ok("file not present").withData(Map.of("found", 0, "backup", ""));
                if (!ctx.bool("create")) {
                    return TaskOutcome.failed(name() + ": " + path + " does not exist (create: true would create it)");
                }
                if (info.parent() == RemoteFiles.Parent.NOT_A_DIRECTORY) {
                    return TaskOutcome.failed(name() + ": cannot create " + path + ": a parent is not a directory");
                }
            }
            String original = info.exists() ? RemoteFiles.text(name(), info) : "";
            LineEdits.Edit edit = present
                    ? LineEdits.present(original, line, regexp, search, insert, ctx.bool("backrefs"),
                            ctx.bool("firstmatch"))
                    : LineEdits.absent(original, line, regexp, search);
            return LineEdits.finish(ctx, name(), path, info, original, edit, attrs, ctx.bool("create"),
                    ctx.bool("backup"), validate);
        } catch (RemoteFiles.HostFailure e) {
            return TaskOutcome.failed(e.getMessage());
        }
    }
}
