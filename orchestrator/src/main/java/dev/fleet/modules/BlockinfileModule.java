package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.template.RegexSubject;
import dev.fleet.transport.TransportException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code blockinfile}: keeps a block of lines between {@code # BEGIN ANSIBLE MANAGED BLOCK} and
 * {@code # END ANSIBLE MANAGED BLOCK} markers (replacing the block if the markers are there, else inserting it
 * after/before {@code insertafter}/{@code insertbefore}), or removes it. Same read/compute/write approach as
 * {@code lineinfile}, with Ansible's algorithm.
 */
final class BlockinfileModule implements Module {
    static final String DEFAULT_MARKER = "# {mark} ANSIBLE MANAGED BLOCK";

    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.path("path").required().aliases("dest", "destfile", "name"),
                    Arg.str("state").choices("absent", "present").defaultsTo("present"),
                    Arg.str("marker").defaultsTo(DEFAULT_MARKER), Arg.str("block").aliases("content").defaultsTo(""),
                    Arg.str("insertafter"), Arg.str("insertbefore"), Arg.bool("create").defaultsTo(false),
                    Arg.bool("backup").defaultsTo(false), Arg.str("marker_begin").defaultsTo("BEGIN"),
                    Arg.str("marker_end").defaultsTo("END"), Arg.bool("append_newline").defaultsTo(false),
                    Arg.bool("prepend_newline").defaultsTo(false), FileArgs.VALIDATE)
            .add(FileArgs.ATTRIBUTES)
            .mutuallyExclusive("insertbefore", "insertafter")
            .build();

    public String name() {
        return "blockinfile";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException {
        String path = ctx.str("path");
        String state = ctx.str("state");
        String block = ctx.str("block");
        String marker = ctx.str("marker");
        String begin = ctx.str("marker_begin");
        String end = ctx.str("marker_end");
        if (begin.equals(end) && marker.contains("{mark}")) {
            throw new ModuleException("'marker_begin' and 'marker_end' must differ, both are '" + begin + "'");
        }
        if (!marker.contains("{mark}")) {
            throw new ModuleException("argument 'marker' must contain {mark}, found '" + marker + "'");
        }
        boolean create = ctx.bool("create");
        String validate = FileArgs.validate(ctx);
        FileAttrs attrs = FileAttrs.of(ctx);
        LineEdits.Insert insert = LineEdits.Insert.of(ctx.str("insertafter"), ctx.str("insertbefore"));

        try {
            RemoteFiles.Info info = RemoteFiles.inspect(ctx, name(), path, true, null, true);
            if (info.isDir()) return TaskOutcome.failed(name() + ": " + path + " is a directory");
            if (!info.exists()) {
                if (state.equals("absent")) return TaskOutcome.ok("File " + path + " not present");
                if (!create) {
                    return TaskOutcome.failed(name() + ": " + path + " does not exist (create: true would create it)");
                }
                if (info.parent() == RemoteFiles.Parent.NOT_A_DIRECTORY) {
                    return TaskOutcome.failed(name() + ": cannot create " + path + ": a parent is not a directory");
                }
            }
            String original = info.exists() ? RemoteFiles.text(name(), info) : null;
            LineEdits.Edit edit = edit(original, block, marker, begin, end, state.equals("present"), insert,
                    ctx.bool("prepend_newline"), ctx.bool("append_newline"));
            return LineEdits.finish(ctx, name(), path, info, original == null ? "" : original, edit, attrs,
                    create, ctx.bool("backup"), validate);
        } catch (RemoteFiles.HostFailure e) {
            return TaskOutcome.failed(e.getMessage());
        }
    }

    /**
     * Ansible's blockinfile algorithm.
     *
     * @param original the file's text, null if it does not exist
     * @param where    where to insert the block when its markers are not in the file yet
     */
    static LineEdits.Edit edit(String original, String block, String marker, String begin, String end,
            boolean present, LineEdits.Insert where, boolean prependNewline, boolean appendNewline) {
        String insertAfter = where.after();
        String insertBefore = where.before();
        Pattern insert = where.pattern();
        List<String> lines = new java.util.ArrayList<>(LineEdits.splitLines(original == null ? "" : original, true));
        String marker0 = marker.replace("{mark}", begin) + "\n";
        String marker1 = marker.replace("{mark}", end) + "\n";
        List<String> blockLines = new java.util.ArrayList<>();
        if (present && !block.isEmpty()) {
            String b = block.endsWith("\n") ? block : block + "\n";
            blockLines.add(marker0);
            blockLines.addAll(LineEdits.splitLines(b, true));
            blockLines.add(marker1);
        }
        Integer n0 = null;
        Integer n1 = null;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).equals(marker0)) n0 = i;
            if (lines.get(i).equals(marker1)) n1 = i;
        }
        if (n0 == null || n1 == null) {
            n0 = null;
            if (insert != null) {
                RegexSubject.Budget budget = RegexSubject.budget(); // one for all lines
                if (multiline(insert)) {
                    String text = original == null ? "" : original;
                    Matcher m = budget.matcher(insert, text);
                    if (m.find()) {
                        n0 = count(text, insertAfter != null ? m.end() : m.start());
                    }
                } else {
                    for (int i = 0; i < lines.size(); i++) {
                        if (budget.matcher(insert, lines.get(i)).find()) n0 = i;
                    }
                }
                if (n0 == null) n0 = lines.size();
                else if (insertAfter != null) n0 += 1;
            } else if (insertBefore != null) {
                n0 = 0; // BOF
            } else {
                n0 = lines.size(); // EOF
            }
        } else if (n0 < n1) {
            lines.subList(n0, n1 + 1).clear();
        } else {
            lines.subList(n1, n0 + 1).clear();
            n0 = n1;
        }
        if (n0 > 0 && !lines.get(n0 - 1).endsWith("\n")) lines.set(n0 - 1, lines.get(n0 - 1) + "\n");
        if (prependNewline && present && n0 != 0 && !lines.get(n0 - 1).equals("\n")) {
            lines.add(n0, "\n");
            n0 += 1;
        }
        lines.addAll(n0, blockLines);
        if (appendNewline && present) {
            int afterBlock = n0 + blockLines.size();
            if (afterBlock < lines.size() && !lines.get(afterBlock).equals("\n")) lines.add(afterBlock, "\n");
        }
        String result = String.join("", lines);
        boolean changed;
        String msg;
        if (result.equals(original)) {
            changed = false;
            msg = "";
        } else if (original == null) {
            changed = true;
            msg = "File created";
        } else if (blockLines.isEmpty()) {
            changed = true;
            msg = "Block removed";
        } else {
            changed = true;
            msg = "Block inserted";
        }
        return new LineEdits.Edit(result, changed, msg, -1);
    }

    /** Whether a pattern asks for re.MULTILINE inline, as {@code (?m)...}. */
    private static boolean multiline(Pattern p) {
        if ((p.flags() & Pattern.MULTILINE) != 0) return true;
        Matcher m = Pattern.compile("^\\(\\?([a-zA-Z]+)\\)").matcher(p.pattern());
        return m.find() && m.group(1).contains("m");
    }

    private static int count(String text, int upTo) {
        int n = 0;
        for (int i = 0; i < upTo; i++) {
            if (text.charAt(i) == '\n') n++;
        }
        return n;
    }
}
