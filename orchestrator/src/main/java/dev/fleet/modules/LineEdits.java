package dev.fleet.modules;

import dev.fleet.result.UnifiedDiff;
import dev.fleet.result.TaskOutcome;
import dev.fleet.template.RegexSubject;
import dev.fleet.transport.TransportException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Line editing shared by {@code lineinfile} and {@code blockinfile}: Ansible's algorithms on a file's text (lines
 * keep their terminators, Python regexes), and writing the result back. Pure functions except {@link #finish}.
 */
final class LineEdits {
    private LineEdits() {}

    /**
     * Shared by lineinfile and blockinfile: writes the edited content if it changed (not in check mode), applies
     * mode/owner/group, and builds the outcome with {@code msg}, the backup's name and {@code diff}.
     */
    static TaskOutcome finish(ModuleContext ctx, String module, String path, RemoteFiles.Info info, String original,
            Edit edit, FileAttrs attrs, boolean makeParents, boolean backup, String validate)
            throws TransportException, RemoteFiles.HostFailure {
        boolean changed = edit.changed();
        String msg = edit.msg();
        String backupFile = "";
        if (changed && !ctx.check()) {
            backupFile = RemoteFiles.write(ctx, module, info.writePath(),
                    edit.content().getBytes(StandardCharsets.UTF_8), attrs, info, makeParents, backup, validate);
        }
        boolean attrsChanged = false;
        if (info.exists()) {
            // A rewritten file already got the requested attributes; an untouched one gets them now.
            attrsChanged = changed ? !attrs.satisfiedBy(info) : RemoteFiles.applyAttrs(ctx, module, info, attrs);
        }
        if (attrsChanged) {
            msg = msg.isEmpty() ? "ownership, perms or SE linux context changed"
                    : msg + " and ownership, perms or SE linux context changed";
        }
        Map<String, Object> data = new LinkedHashMap<>();
        // lineinfile always reports 'backup' ("" when none was made); blockinfile and replace name it
        // 'backup_file' and report it only when a backup was made, as Ansible's modules do.
        boolean backupFileKey = module.equals("blockinfile") || module.equals("replace");
        if (!backupFileKey) data.put("backup", backupFile);
        else if (!backupFile.isEmpty()) data.put("backup_file", backupFile);
        if (edit.found() >= 0) data.put("found", edit.found());
        if (ctx.diff()) data.put("diff", UnifiedDiff.diff(original, edit.content(), path));
        TaskOutcome base = changed || attrsChanged ? TaskOutcome.changed(msg) : TaskOutcome.ok(msg);
        return base.withData(data);
    }

    /** The result of editing a file's text: new content, whether it differs, Ansible's message. */
    record Edit(String content, boolean changed, String msg, int found) {}

    /** Ansible's {@code present()}: lines are split after each "\n" and compared without "\r\n". */
    static Edit present(String original, String line, Pattern regexp, String search, Insert where,
            boolean backrefs, boolean firstmatch) {
        String insertAfter = where.after();
        String insertBefore = where.before();
        Pattern insert = where.pattern();
        List<String> lines = splitLines(original, false);
        RegexSubject.Budget budget = RegexSubject.budget(); // one for all lines: a long file cannot multiply it
        int matchIndex = -1;
        int insertIndex = -1;
        Matcher match = null;
        if (regexp != null) {
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = budget.matcher(regexp, lines.get(i));
                if (m.find()) {
                    matchIndex = i;
                    match = m;
                    if (firstmatch) break;
                }
            }
        }
        boolean found = match != null;
        if (search != null) {
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(search)) {
                    matchIndex = i;
                    found = true;
                    if (firstmatch) break;
                }
            }
        }
        if (!found) {
            for (int i = 0; i < lines.size(); i++) {
                String cur = lines.get(i);
                if (stripEol(cur).equals(line)) {
                    matchIndex = i;
                } else if (insert != null && budget.matcher(insert, cur).find()) {
                    if (insertAfter != null) {
                        insertIndex = i + 1;
                        if (firstmatch) break;
                    }
                    if (insertBefore != null) {
                        insertIndex = i;
                        if (firstmatch) break;
                    }
                }
            }
        }
        String msg = "";
        boolean changed = false;
        if (matchIndex != -1) {
            String newLine = backrefs && match != null ? expand(match, line) : line;
            if (!newLine.endsWith("\n")) newLine += "\n";
            // (Ansible's branch for "no regexp and no exact match" cannot be reached: without a regexp or
            // search_string, matchIndex is only ever set by an exact match.)
            if (!lines.get(matchIndex).equals(newLine)) {
                lines.set(matchIndex, newLine);
                msg = "line replaced";
                changed = true;
            }
        } else if (backrefs) {
            // Nothing, as in Ansible: without a match there is nothing to fill the backreferences from.
        } else if ("BOF".equals(insertBefore) || "BOF".equals(insertAfter)) {
            lines.add(0, line + "\n");
            msg = "line added";
            changed = true;
        } else if ("EOF".equals(insertAfter) || insertIndex == -1) {
            if (!lines.isEmpty() && !endsWithEol(lines.get(lines.size() - 1))) lines.add("\n");
            lines.add(line + "\n");
            msg = "line added";
            changed = true;
        } else if (insertAfter != null) {
            if (lines.size() == insertIndex) {
                if (!stripEol(lines.get(insertIndex - 1)).equals(line)) {
                    // Ansible would glue the new line onto an unterminated last line here; end that line first.
                    String last = lines.get(insertIndex - 1);
                    if (!endsWithEol(last)) lines.set(insertIndex - 1, last + "\n");
                    lines.add(line + "\n");
                    msg = "line added";
                    changed = true;
                }
            } else if (!line.equals(stripEol(lines.get(insertIndex)))) {
                lines.add(insertIndex, line + "\n");
                msg = "line added";
                changed = true;
            }
        } else {
            lines.add(insertIndex, line + "\n");
            msg = "line added";
            changed = true;
        }
        return new Edit(String.join("", lines), changed, msg, -1);
    }

    /** Ansible's {@code absent()}: removes every line that matches regexp / contains search_string / equals line. */
    static Edit absent(String original, String line, Pattern regexp, String search) {
        RegexSubject.Budget budget = RegexSubject.budget();
        List<String> kept = new ArrayList<>();
        int found = 0;
        for (String cur : splitLines(original, false)) {
            boolean hit = regexp != null ? budget.matcher(regexp, cur).find()
                    : search != null ? cur.contains(search) : stripEol(cur).equals(line);
            if (hit) found++;
            else kept.add(cur);
        }
        return new Edit(String.join("", kept), found > 0, found > 0 ? found + " line(s) removed" : "", found);
    }

    /**
     * Where lineinfile and blockinfile insert, with their defaults: neither insertafter nor insertbefore means
     * after EOF; EOF and BOF are places, anything else a regex, compiled here so a bad one fails before the host
     * is touched.
     *
     * @param after   insertafter: "EOF", "BOF", a regex, or null when before is given
     * @param pattern the compiled regex of insertafter or insertbefore, null for EOF/BOF
     */
    record Insert(String after, String before, Pattern pattern) {
        static Insert of(String insertAfter, String insertBefore) throws ModuleException {
            String after = insertAfter == null && insertBefore == null ? "EOF" : insertAfter;
            Pattern p = after != null && !after.equals("EOF") && !after.equals("BOF") ? pyRegex(after, "insertafter")
                    : insertBefore != null && !insertBefore.equals("BOF") ? pyRegex(insertBefore, "insertbefore")
                    : null;
            return new Insert(after, insertBefore, p);
        }
    }

    /**
     * A Python {@code re} pattern as a Java one: {@code (?P<name>...)} and {@code (?P=name)} are translated,
     * {@code \Z} becomes {@code \z}, and only "\n" ends a line (UNIX_LINES), as for Python byte patterns.
     */
    static Pattern pyRegex(String re, String arg) throws ModuleException {
        String java = re.replace("(?P<", "(?<").replaceAll("\\(\\?P=(\\w+)\\)", "\\\\k<$1>").replace("\\Z", "\\z");
        try {
            return Pattern.compile(java, Pattern.UNIX_LINES);
        } catch (PatternSyntaxException e) {
            throw new ModuleException("argument '" + arg + "' is not a valid regular expression: "
                    + e.getDescription() + " in '" + re + "'");
        }
    }

    /** Python's {@code match.expand(template)}: {@code \1}, {@code \g<1>}, {@code \g<name>}, {@code \n}, ... */
    static String expand(Matcher m, String template) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c != '\\' || i + 1 == template.length()) {
                out.append(c);
                continue;
            }
            char n = template.charAt(++i);
            if (Character.isDigit(n)) {
                int end = i + 1;
                if (end < template.length() && Character.isDigit(template.charAt(end))) end++;
                appendGroup(out, m, template.substring(i, end));
                i = end - 1;
            } else if (n == 'g' && i + 1 < template.length() && template.charAt(i + 1) == '<'
                    && template.indexOf('>', i) > 0) {
                int close = template.indexOf('>', i);
                appendGroup(out, m, template.substring(i + 2, close));
                i = close;
            } else {
                switch (n) {
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case 'f' -> out.append('\f');
                    case 'v' -> out.append('\u000b');
                    case 'a' -> out.append('\u0007');
                    case '\\' -> out.append('\\');
                    default -> out.append('\\').append(n);
                }
            }
        }
        return out.toString();
    }

    private static void appendGroup(StringBuilder out, Matcher m, String ref) {
        String g;
        try {
            g = ref.chars().allMatch(Character::isDigit) ? m.group(Integer.parseInt(ref)) : m.group(ref);
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            g = null; // Python raises "invalid group reference"; an empty string is the gentler reading
        }
        if (g != null) out.append(g);
    }

    /**
     * Splits text into lines that keep their terminators. Python's {@code readlines()} splits after "\n" only;
     * with {@code universal}, as {@code bytes.splitlines(True)}, also after a lone "\r".
     */
    static List<String> splitLines(String text, boolean universal) {
        List<String> out = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || (universal && c == '\r')) {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') i++;
                out.add(text.substring(from, i + 1));
                from = i + 1;
            }
        }
        if (from < text.length()) out.add(text.substring(from));
        return out;
    }

    static String stripEol(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) end--;
        return s.substring(0, end);
    }

    static boolean endsWithEol(String s) {
        return s.endsWith("\n") || s.endsWith("\r");
    }
}
