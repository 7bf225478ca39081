package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.transport.TransportException;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    private static final ArgSpec SPEC = ArgSpec.of(null,
            Set.of("path", "dest", "destfile", "name", "block", "content", "marker", "marker_begin", "marker_end",
                    "state", "insertafter", "insertbefore", "create", "backup", "mode", "owner", "group", "validate",
                    "prepend_newline", "append_newline"),
            ArgSpec.requires("path|dest|destfile|name"));

    public String name() {
        return "blockinfile";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome run(ModuleContext ctx) throws TransportException, ModuleException {
        String path = StatModule.path(ctx);
        String state = ctx.choice("state", "present", "present", "absent");
        String block = ctx.has("block") ? ctx.string("block") : ctx.string("content", "");
        String marker = ctx.string("marker", DEFAULT_MARKER);
        String begin = ctx.string("marker_begin", "BEGIN");
        String end = ctx.string("marker_end", "END");
        if (begin.equals(end) && marker.contains("{mark}")) {
            throw new ModuleException("'marker_begin' and 'marker_end' must differ, both are '" + begin + "'");
        }
        if (!marker.contains("{mark}")) {
            throw new ModuleException("argument 'marker' must contain {mark}, found '" + marker + "'");
        }
        String after = ctx.string("insertafter");
        String before = ctx.string("insertbefore");
        if (after != null && before != null) {
            throw new ModuleException("arguments 'insertafter' and 'insertbefore' are mutually exclusive");
        }
        boolean create = ctx.bool("create", false);
        boolean backup = ctx.bool("backup", false);
        boolean prepend = ctx.bool("prepend_newline", false);
        boolean append = ctx.bool("append_newline", false);
        String validate = ctx.string("validate");
        if (validate != null && !validate.contains("%s")) {
            throw new ModuleException("argument 'validate' must contain %s (the file to check), found '" + validate
                    + "'");
        }
        RemoteFiles.Attrs attrs = RemoteFiles.Attrs.of(ctx);
        if (after == null && before == null) after = "EOF";
        Pattern insert = null;
        if (!after.equals("EOF")) insert = LineinfileModule.pyRegex(after, "insertafter");
        else if (before != null && !before.equals("BOF")) insert = LineinfileModule.pyRegex(before, "insertbefore");
        if (before != null) after = null;

        try {
            RemoteFiles.Info info = RemoteFiles.inspect(ctx, name(), path, true, null, true);
            if (info.isDir()) return TaskOutcome.failed(name() + ": " + path + " is a directory");
            if (!info.exists()) {
                if (state.equals("absent")) return TaskOutcome.ok("File " + path + " not present")
                        .withData(Map.of("backup", ""));
                if (!create) {
                    return TaskOutcome.failed(name() + ": " + path + " does not exist (create: true would create it)");
                }
                if (info.parent() == RemoteFiles.Parent.NOT_A_DIRECTORY) {
                    return TaskOutcome.failed(name() + ": cannot create " + path + ": a parent is not a directory");
                }
            }
            String original = info.exists() ? RemoteFiles.text(name(), info) : null;
            LineinfileModule.Edit edit = edit(original, block, marker, begin, end, state.equals("present"), after,
                    before, insert, prepend, append);
            return LineinfileModule.finish(ctx, name(), path, info, original == null ? "" : original, edit, attrs,
                    create, backup, validate);
        } catch (RemoteFiles.HostFailure e) {
            return TaskOutcome.failed(e.getMessage());
        }
    }

    /**
     * Ansible's blockinfile algorithm.
     *
     * @param original    the file's text, null if it does not exist
     * @param insertAfter "EOF", a regex, or null when insertBefore is given
     * @param insert      the compiled insertafter/insertbefore regex, null for EOF/BOF
     */
    static LineinfileModule.Edit edit(String original, String block, String marker, String begin, String end,
            boolean present, String insertAfter, String insertBefore, Pattern insert, boolean prependNewline,
            boolean appendNewline) {
        List<String> lines = new java.util.ArrayList<>(
                LineinfileModule.splitLines(original == null ? "" : original, true));
        String marker0 = marker.replace("{mark}", begin) + "\n";
        String marker1 = marker.replace("{mark}", end) + "\n";
        List<String> blockLines = new java.util.ArrayList<>();
        if (present && !block.isEmpty()) {
            String b = block.endsWith("\n") ? block : block + "\n";
            blockLines.add(marker0);
            blockLines.addAll(LineinfileModule.splitLines(b, true));
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
                if (multiline(insert)) {
                    String text = original == null ? "" : original;
                    Matcher m = insert.matcher(text);
                    if (m.find()) {
                        n0 = count(text, insertAfter != null ? m.end() : m.start());
                    }
                } else {
                    for (int i = 0; i < lines.size(); i++) {
                        if (insert.matcher(lines.get(i)).find()) n0 = i;
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
        return new LineinfileModule.Edit(result, changed, msg, -1);
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
