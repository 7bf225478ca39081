package dev.fleet.modules;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * community.general 6.x {@code ini_file}'s edit of an INI file's text, as a pure function: the file's lines
 * (terminators kept), the option/values to set or remove in one section, and the result with Ansible's message.
 * A {@code ;} or {@code #} comment of the option ({@code ;date.timezone =} in php.ini) counts as the option when
 * setting it, so the setting lands where the commented default was; removing leaves such comments alone.
 */
final class IniEdit {
    /** Stands for "before the first section" so that the options there are handled like any section's. */
    private static final String TOP = "[\u0000fleet-top-of-file]";
    private static final Pattern BLANK_OR_COMMENT = Pattern.compile("[ \\t]*([#;].*)?\n?", Pattern.UNIX_LINES);

    private IniEdit() {}

    /** What {@code ini_file} was asked to do; {@code section} null or empty is the top of the file. */
    record Request(String section, String option, List<String> values, boolean present, boolean exclusive,
            boolean noExtraSpaces, boolean allowNoValue) {}

    /** The new text, whether it differs, and Ansible's {@code msg}. */
    record Result(String content, boolean changed, String msg) {}

    static Result apply(String original, Request req) {
        List<String> lines = new ArrayList<>(LineEdits.splitLines(original, false));
        List<String> values = new ArrayList<>();
        for (String v : req.values()) if (v != null && !values.contains(v)) values.add(v);
        boolean changed = false;
        if (lines.isEmpty()) lines.add("\n");
        String last = lines.get(lines.size() - 1);
        if (!last.endsWith("\n")) {
            // Ansible ends an unterminated last line even when nothing else changes.
            lines.set(lines.size() - 1, last + "\n");
            changed = true;
        }
        boolean top = req.section() == null || req.section().isEmpty();
        String header = top ? TOP : "[" + req.section() + "]";
        lines.add(0, TOP);
        lines.add("[");
        boolean within = false;
        int start = 0;
        int end = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith(header)) {
                within = true;
                start = i;
            } else if (line.startsWith("[") && within) {
                end = i;
                break;
            }
        }
        List<String> before = new ArrayList<>(lines.subList(0, start));
        List<String> section = new ArrayList<>(lines.subList(start, end));
        List<String> after = new ArrayList<>(lines.subList(end, lines.size()));
        Edit e = new Edit(section, req, values, changed);
        if (req.present()) e.setOption();
        else e.removeOption();

        List<String> out = new ArrayList<>(before);
        out.addAll(e.lines);
        out.addAll(after);
        out.remove(0);
        out.remove(out.size() - 1);
        String msg = e.msg;
        changed = e.changed;
        if (!within && req.present()) {
            out.add("[" + req.section() + "]\n");
            msg = "section and option added";
            if (req.option() != null && !values.isEmpty()) {
                for (String v : values) out.add(e.assignment(v));
            } else if (req.option() != null && req.allowNoValue()) {
                out.add(req.option() + "\n");
            } else {
                msg = "only section added";
            }
            changed = true;
        }
        return new Result(String.join("", out), changed, msg);
    }

    /** The edit of one section's lines (its header first); {@code values} is consumed as lines take them. */
    private static final class Edit {
        final List<String> lines;
        final List<Boolean> touched = new ArrayList<>();
        final Request req;
        final List<String> values;
        boolean changed;
        String msg = "OK";

        Edit(List<String> lines, Request req, List<String> values, boolean changed) {
            this.lines = lines;
            this.req = req;
            this.values = values;
            this.changed = changed;
            for (int i = 0; i < lines.size(); i++) touched.add(false);
        }

        String assignment(String value) {
            return req.option() + (req.noExtraSpaces() ? "=" : " = ") + value + "\n";
        }

        void setOption() {
            String option = req.option();
            boolean noValuePresent = false;
            if (option != null && !option.isEmpty()) {
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = option(option, lines.get(i), true);
                    if (m == null) continue;
                    String value = m.group(6);
                    if (!values.isEmpty() && values.contains(value)) {
                        if (value.isEmpty() && req.allowNoValue()) {
                            update(i, option + "\n");
                            noValuePresent = true;
                        } else {
                            update(i, assignment(value));
                        }
                        values.remove(value);
                    } else if (values.isEmpty() && req.allowNoValue()) {
                        update(i, option + "\n");
                        noValuePresent = true;
                        break;
                    }
                }
            }
            if (req.exclusive() && !req.allowNoValue() && option != null) {
                for (int i = 0; i < lines.size() && !values.isEmpty(); i++) {
                    if (!touched.get(i) && option(option, lines.get(i), true) != null) {
                        update(i, assignment(values.remove(0)));
                    }
                }
                // Index 0 is the section's header, never an option.
                for (int i = lines.size() - 1; i > 0; i--) {
                    if (!touched.get(i) && option(option, lines.get(i), true) != null) {
                        lines.remove(i);
                        touched.remove(i);
                        changed = true;
                        msg = "option changed";
                    }
                }
            }
            insertMissing(option, noValuePresent);
        }

        /** New option lines go after the section's last line that is neither blank nor a comment. */
        private void insertMissing(String option, boolean noValuePresent) {
            for (int i = lines.size(); i > 0; i--) {
                if (BLANK_OR_COMMENT.matcher(lines.get(i - 1)).matches()) continue;
                if (option != null && !values.isEmpty()) {
                    for (int k = values.size() - 1; k >= 0; k--) lines.add(i, assignment(values.get(k)));
                    msg = "option added";
                    changed = true;
                } else if (option != null && values.isEmpty() && req.allowNoValue() && !noValuePresent) {
                    lines.add(i, option + "\n");
                    msg = "option added";
                    changed = true;
                }
                return;
            }
        }

        void removeOption() {
            String option = req.option();
            if (option == null || option.isEmpty()) {
                if (!lines.isEmpty()) {
                    lines.clear();
                    msg = "section removed";
                    changed = true;
                }
                return;
            }
            if (!req.exclusive() && values.isEmpty()) return;
            boolean removed = lines.removeIf(l -> {
                Matcher m = option(option, l, false);
                return m != null && (req.exclusive() || values.contains(m.group(6)));
            });
            if (removed) {
                changed = true;
                msg = "option changed";
            }
        }

        private void update(int i, String newLine) {
            if (!lines.get(i).equals(newLine)) {
                changed = true;
                msg = "option changed";
            }
            lines.set(i, newLine);
            touched.set(i, true);
        }
    }

    /**
     * The option's line: indentation, the name, then {@code =} or the end of the line; group 6 is the value.
     * With {@code commented}, a {@code #} or {@code ;} before the name is allowed.
     */
    static Matcher option(String option, String line, boolean commented) {
        String re = (commented ? "[#;]?" : "") + "( |\\t)*(" + Pattern.quote(option) + ")( |\\t)*(=|$)( |\\t)*(.*)";
        Matcher m = Pattern.compile(re, Pattern.UNIX_LINES).matcher(line);
        return m.lookingAt() ? m : null;
    }
}
