package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.template.PythonRegex;
import dev.fleet.template.RegexSubject;
import dev.fleet.transport.TransportException;
import java.util.regex.Matcher;

/**
 * {@code replace}: Python's {@code re.subn} of {@code regexp} (multiline) by {@code replace} ({@code \1},
 * {@code \g<name>}) over a file, or over the section between {@code after} and {@code before}. Reads the file in
 * one round trip and writes it back atomically only if the text changed; {@code msg} is Ansible's
 * ("2 replacements made"), {@code --diff} gives the unified diff.
 */
final class ReplaceModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.path("path").required().aliases("dest", "destfile", "name"), Arg.str("regexp").required(),
                    Arg.str("replace").defaultsTo(""), Arg.str("after"), Arg.str("before"),
                    Arg.bool("backup").defaultsTo(false), Arg.str("encoding").defaultsTo("utf-8"),
                    Arg.bool("unsafe_writes"), FileArgs.VALIDATE)
            .add(FileArgs.ATTRIBUTES)
            .build();

    public String name() {
        return "replace";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException {
        String path = ctx.str("path");
        String enc = ctx.str("encoding").toLowerCase(java.util.Locale.ROOT).replace("_", "-");
        if (!enc.equals("utf-8") && !enc.equals("utf8")) {
            throw new ModuleException("argument 'encoding' must be 'utf-8' (fleet edits UTF-8 text only), found '"
                    + ctx.str("encoding") + "'");
        }
        String validate = FileArgs.validate(ctx);
        FileAttrs attrs = FileAttrs.of(ctx);
        PythonRegex regexp = compile(ctx.str("regexp"), PythonRegex.MULTILINE, "regexp");
        String after = ctx.str("after");
        String before = ctx.str("before");
        String sectionSource = after != null && before != null ? after + "(?P<subsection>.*?)" + before
                : after != null ? after + "(?P<subsection>.*)"
                : before != null ? "(?P<subsection>.*)" + before : null;
        PythonRegex section = sectionSource == null ? null
                : compile(sectionSource, PythonRegex.DOTALL, after != null ? "after" : "before");
        String javaRepl;
        try {
            javaRepl = regexp.replacement(ctx.str("replace"));
        } catch (IllegalArgumentException e) {
            throw new ModuleException("argument 'replace': " + e.getMessage());
        }
        try {
            RemoteFiles.Info info = RemoteFiles.inspect(ctx, name(), path, true, null, true);
            if (!info.exists()) return TaskOutcome.failed("Path " + path + " does not exist !");
            if (info.isDir()) return TaskOutcome.failed("Path " + path + " is a directory !");
            String original = RemoteFiles.text(name(), info);
            int start = 0;
            int end = original.length();
            if (section != null) {
                Matcher m = section.matcher(original);
                if (!m.find()) {
                    return TaskOutcome.ok("Pattern for before/after params did not match the given file: "
                            + sectionSource);
                }
                int g = section.groupIndex("subsection");
                start = m.start(g);
                end = m.end(g);
            }
            String text = original.substring(start, end);
            Matcher m = regexp.matcher(text);
            StringBuilder sb = new StringBuilder();
            int n = 0;
            while (m.find()) {
                m.appendReplacement(sb, javaRepl);
                n++;
            }
            m.appendTail(sb);
            String replaced = sb.toString();
            boolean changed = n > 0 && !replaced.equals(text);
            String content = original.substring(0, start) + replaced + original.substring(end);
            LineEdits.Edit edit = new LineEdits.Edit(content, changed, changed ? n + " replacements made" : "", -1);
            return LineEdits.finish(ctx, name(), path, info, original, edit, attrs, false, ctx.bool("backup"),
                    validate);
        } catch (RemoteFiles.HostFailure e) {
            return TaskOutcome.failed(e.getMessage());
        } catch (RegexSubject.TooSlow e) {
            return TaskOutcome.failed(name() + ": " + e.getMessage());
        }
    }

    private static PythonRegex compile(String re, int flags, String arg) throws ModuleException {
        try {
            return PythonRegex.compile(re, flags);
        } catch (IllegalArgumentException e) {
            throw new ModuleException("argument '" + arg + "': " + e.getMessage());
        }
    }
}
