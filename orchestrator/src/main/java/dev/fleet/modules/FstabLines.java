package dev.fleet.modules;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fstab edits of {@code ansible.posix.mount} on Linux: a matching entry (same mount point, or for swap the
 * same source) is rewritten as {@code src path fstype opts dump passno}, a missing one appended; removal drops
 * the six-field entries of the mount point. Field values are escaped as the collection escapes them (backslash,
 * space and ampersand as octal escapes). Lines that are not entries are kept as they are.
 */
final class FstabLines {
    private FstabLines() {}

    /** The wanted entry, unescaped; {@code src} null when not given. */
    record Entry(String src, String path, String fstype, String opts, String dump, String passno) {
        Entry escaped() {
            return new Entry(src == null ? null : escape(src), escape(path), fstype == null ? null : escape(fstype),
                    escape(opts), escape(dump), escape(passno));
        }

        String line() {
            return src + " " + path + " " + fstype + " " + opts + " " + dump + " " + passno + "\n";
        }
    }

    /** The file after an edit, and whether it differs. */
    record Edit(String text, boolean changed) {}

    static String escape(String v) {
        return v.replace("\\", "\\134").replace(" ", "\\040").replace("&", "\\046");
    }

    /** Lines as Python's {@code readlines()} gives them, each keeping its newline. */
    static List<String> readLines(String text) {
        return LineEdits.splitLines(text, false);
    }

    private static boolean isEntryCandidate(String line) {
        return !line.isBlank() && !line.strip().startsWith("#");
    }

    private static boolean otherSwap(Map<String, String> ld, Entry wanted) {
        return wanted.src() != null && ld.get("name").equals("none") && "swap".equals(ld.get("fstype"))
                && !wanted.src().equals(ld.get("src"));
    }

    /** The collection's set: update every matching entry, append the entry when none matched. */
    static Edit set(String text, Entry wanted) {
        Entry esc = wanted.escaped();
        StringBuilder out = new StringBuilder();
        boolean exists = false;
        boolean changed = false;
        for (String raw : readLines(text)) {
            String line = raw.endsWith("\n") ? raw : raw + "\n";
            String[] fields = line.strip().split("\\s+");
            if (!isEntryCandidate(line) || fields.length < 4 || fields.length > 6) {
                out.append(line);
                continue;
            }
            Map<String, String> ld = fields(fields);
            if (!ld.get("name").equals(esc.path()) || otherSwap(ld, wanted)) {
                out.append(line);
                continue;
            }
            exists = true;
            changed |= put(ld, "src", esc.src()) | put(ld, "fstype", esc.fstype()) | put(ld, "opts", esc.opts())
                    | put(ld, "dump", esc.dump()) | put(ld, "passno", esc.passno());
            if (changed) {
                out.append(new Entry(ld.get("src"), ld.get("name"), ld.get("fstype"), ld.get("opts"), ld.get("dump"),
                        ld.get("passno")).line());
            } else {
                out.append(line);
            }
        }
        if (!exists) {
            out.append(esc.line());
            changed = true;
        }
        return new Edit(out.toString(), changed);
    }

    /** The collection's unset: drop every six-field entry of the mount point. */
    static Edit unset(String text, Entry wanted) {
        String path = escape(wanted.path());
        StringBuilder out = new StringBuilder();
        boolean changed = false;
        for (String line : readLines(text)) {
            String[] fields = line.strip().split("\\s+");
            if (!isEntryCandidate(line) || fields.length != 6) {
                out.append(line);
                continue;
            }
            Map<String, String> ld = fields(fields);
            if (!ld.get("name").equals(path) || otherSwap(ld, wanted)) {
                out.append(line);
                continue;
            }
            changed = true;
        }
        return new Edit(out.toString(), changed);
    }

    /** An entry's fields by the collection's labels; a missing dump or passno is absent (differs from any value). */
    private static Map<String, String> fields(String[] fields) {
        String[] labels = {"src", "name", "fstype", "opts", "dump", "passno"};
        Map<String, String> ld = new LinkedHashMap<>();
        for (int i = 0; i < fields.length; i++) ld.put(labels[i], fields[i]);
        return ld;
    }

    /** Sets a field; whether it was different. */
    private static boolean put(Map<String, String> ld, String key, String value) {
        if (value != null && value.equals(ld.get(key))) return false;
        ld.put(key, value);
        return true;
    }
}
