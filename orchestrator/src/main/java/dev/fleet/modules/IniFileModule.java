package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.transport.TransportException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code community.general.ini_file} (6.x): sets or removes one option (one or several values) in one section of
 * an INI-style file, or adds/removes a whole section; {@link IniEdit} does the edit. Reads the file in one round
 * trip and writes it back atomically only when the text changed. Returns Ansible's keys: {@code msg},
 * {@code path} with its {@link PathInfo}, {@code diff} (before/after, filled under {@code --diff}) and
 * {@code backup_file} when one was made.
 */
final class IniFileModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.path("path").required().aliases("dest"), Arg.str("section"), Arg.str("option"),
                    Arg.str("value"), Arg.list("values", ArgType.STR), Arg.bool("backup").defaultsTo(false),
                    Arg.str("state").choices("absent", "present").defaultsTo("present"),
                    Arg.bool("exclusive").defaultsTo(true), Arg.bool("no_extra_spaces").defaultsTo(false),
                    Arg.bool("allow_no_value").defaultsTo(false), Arg.bool("create").defaultsTo(true),
                    Arg.bool("unsafe_writes"))
            .add(FileArgs.ATTRIBUTES)
            .mutuallyExclusive("value", "values")
            .build();

    public String name() {
        return "ini_file";
    }

    @Override
    public String collection() {
        return "community.general";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException {
        String path = ctx.str("path");
        boolean present = ctx.str("state").equals("present");
        boolean allowNoValue = ctx.bool("allow_no_value");
        List<String> values = ctx.has("value") ? List.of(ctx.str("value")) : ctx.strings("values");
        if (present && !allowNoValue && values.isEmpty()) {
            return TaskOutcome.failed("Parameter 'value(s)' must be defined if state=present and "
                    + "allow_no_value=False.");
        }
        FileAttrs attrs = FileAttrs.of(ctx);
        try {
            RemoteFiles.Info info = RemoteFiles.inspect(ctx, name(), path, true, null, true);
            String original = "";
            if (info.exists()) {
                original = RemoteFiles.text(name(), info);
            } else if (!ctx.bool("create")) {
                return new TaskOutcome(TaskStatus.FAILED, 257, "", "", "Destination " + path + " does not exist!",
                        Map.of());
            }
            // Python reads the file with universal newlines and without a byte order mark.
            String text = original.replace("\r\n", "\n").replace('\r', '\n');
            if (text.startsWith("\ufeff")) text = text.substring(1);
            IniEdit.Result edit = IniEdit.apply(text, new IniEdit.Request(ctx.str("section"), ctx.str("option"),
                    values, present, ctx.bool("exclusive"), ctx.bool("no_extra_spaces"), allowNoValue));
            String backupFile = "";
            if (edit.changed() && !ctx.check()) {
                // The path itself, not a symlink's target: community.general 6.x replaces a symlink with the file.
                backupFile = RemoteFiles.write(ctx, name(), path,
                        edit.content().getBytes(StandardCharsets.UTF_8), attrs, info, true, ctx.bool("backup"),
                        null);
            }
            boolean changed = edit.changed();
            // As Ansible: attributes are applied (and reported) only outside check mode, to a file that exists.
            if (!ctx.check() && info.exists() && !edit.changed()) {
                changed = RemoteFiles.applyAttrs(ctx, name(), info, attrs);
            }
            Map<String, Object> diff = new LinkedHashMap<>();
            diff.put("before", ctx.diff() ? text : "");
            diff.put("after", ctx.diff() ? edit.content() : "");
            diff.put("before_header", path + " (content)");
            diff.put("after_header", path + " (content)");
            Map<String, Object> data = new LinkedHashMap<>();
            data.putAll(PathInfo.of(ctx, name(), path));
            data.put("diff", diff);
            if (!backupFile.isEmpty()) data.put("backup_file", backupFile);
            return (changed ? TaskOutcome.changed(edit.msg()) : TaskOutcome.ok(edit.msg())).withData(data);
        } catch (RemoteFiles.HostFailure e) {
            return TaskOutcome.failed(e.getMessage());
        }
    }
}
