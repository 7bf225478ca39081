package dev.fleet.modules;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one-line apt sources ({@code /etc/apt/sources.list} and {@code sources.list.d/*.list}) as
 * {@code apt_repository} sees them: every line of every file, each a source ({@code deb}/{@code deb-src} with its
 * whitespace collapsed) or not, enabled or commented out, with its trailing {@code # comment}; and the file
 * Ansible names for a new source. Editing is in memory; {@link #dump} gives each file's text as Ansible writes
 * it back (a disabled line as {@code "# " + source}).
 */
final class AptSourcesList {
    static final String SOURCES_LIST = "/etc/apt/sources.list";
    static final String SOURCES_DIR = "/etc/apt/sources.list.d";

    private static final Set<String> TYPES = Set.of("deb", "deb-src");
    private static final Pattern OPTIONS = Pattern.compile("\\[[^\\]]+\\]");
    private static final Pattern SCHEME = Pattern.compile("\\w+://", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern NOT_ALNUM = Pattern.compile("[^a-zA-Z0-9]");

    /** One line of a sources file, parsed as Ansible's {@code SourcesList._parse}. */
    record Line(boolean valid, boolean enabled, String source, String comment) {
        String text() {
            return (enabled ? "" : "# ") + source + (comment.isEmpty() ? "" : " # " + comment) + "\n";
        }

        Line enable() {
            return new Line(valid, true, source, comment);
        }
    }

    /** A repository string that is not an enabled {@code deb}/{@code deb-src} line; the text is Ansible's. */
    static final class InvalidSource extends Exception {
        InvalidSource(String line) {
            super(line);
        }
    }

    private final Map<String, List<Line>> files = new LinkedHashMap<>();
    private final Set<String> newRepoFiles = new LinkedHashSet<>();

    /** The files' texts, by path, in the order apt reads them. */
    AptSourcesList(Map<String, String> texts) {
        texts.forEach((path, text) -> {
            List<Line> lines = new ArrayList<>();
            for (String l : splitLines(text)) lines.add(parse(l));
            files.put(path, lines);
        });
    }

    /** Python's text-mode line iteration: {@code \n}, {@code \r\n} and {@code \r} end a line. */
    private static List<String> splitLines(String text) {
        if (text.isEmpty()) return List.of();
        String t = text.replace("\r\n", "\n").replace('\r', '\n');
        if (t.endsWith("\n")) t = t.substring(0, t.length() - 1);
        return Arrays.asList(t.split("\n", -1));
    }

    static Line parse(String raw) {
        String line = raw.strip();
        boolean enabled = true;
        if (line.startsWith("#")) {
            enabled = false;
            line = line.substring(1);
        }
        String comment = "";
        int hash = line.indexOf('#');
        if (hash > 0) {
            comment = line.substring(hash + 1).strip();
            line = line.substring(0, hash);
        }
        String source = line.strip();
        boolean valid = false;
        if (!source.isEmpty()) {
            String[] chunks = source.split("\\s+");
            if (TYPES.contains(chunks[0])) {
                valid = true;
                source = String.join(" ", chunks);
            }
        }
        return new Line(valid, enabled, source, comment);
    }

    /** The normalised source of a repository string, or the Ansible error for one that is not an enabled source. */
    static String sourceOf(String repo) throws InvalidSource {
        String line = repo.strip();
        Line parsed = parse(repo);
        if (!parsed.valid() || !parsed.enabled()) {
            // Ansible's message shows the line without its leading '#' and trailing comment.
            if (line.startsWith("#")) line = line.substring(1);
            int hash = line.indexOf('#');
            throw new InvalidSource(hash > 0 ? line.substring(0, hash) : line);
        }
        return parsed.source();
    }

    /**
     * The file Ansible puts a new source in: {@code filename} + {@code .list}, else the source's first word after
     * its type and options, without scheme and credentials, each run of characters other than ASCII letters and
     * digits made one {@code _} ({@code deb http://dl.google.com/linux/chrome/deb/ stable main} goes to
     * {@code dl_google_com_linux_chrome_deb.list}); a name without '/' lives in {@link #SOURCES_DIR}.
     */
    static String fileFor(String source, String filename) {
        String name;
        if (filename != null) {
            name = filename;
        } else {
            String line = SCHEME.matcher(OPTIONS.matcher(source).replaceAll("")).replaceAll("");
            List<String> parts = Arrays.stream(line.strip().split("\\s+")).filter(p -> !TYPES.contains(p)).toList();
            String first = parts.isEmpty() ? "" : parts.get(0);
            int at = first.indexOf('@');
            if (at >= 0) first = first.substring(at + 1);
            name = String.join("_", Arrays.stream(NOT_ALNUM.matcher(first).replaceAll(" ").strip().split("\\s+"))
                    .filter(s -> !s.isEmpty()).toList());
        }
        String file = name + ".list";
        return file.contains("/") ? file : SOURCES_DIR + "/" + file;
    }

    /**
     * Adds {@code source}: every line holding it, enabled or not, in any file, is enabled; if none does, it is
     * appended to {@code file}, which then counts as a file with a new repository (for {@code mode}).
     */
    void add(String source, String file) {
        boolean found = false;
        for (List<Line> lines : files.values()) {
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).valid() && lines.get(i).source().equals(source)) {
                    lines.set(i, lines.get(i).enable());
                    found = true;
                }
            }
        }
        if (found) return;
        files.computeIfAbsent(file, f -> new ArrayList<>()).add(new Line(true, true, source, ""));
        newRepoFiles.add(file);
    }

    /** Removes (not comments out) every enabled line holding {@code source}, in every file. */
    void remove(String source) {
        for (List<Line> lines : files.values()) {
            lines.removeIf(l -> l.valid() && l.enabled() && l.source().equals(source));
        }
    }

    /** Each file with at least one line, as Ansible would write it. */
    Map<String, String> dump() {
        Map<String, String> out = new LinkedHashMap<>();
        files.forEach((path, lines) -> {
            if (lines.isEmpty()) return;
            StringBuilder sb = new StringBuilder();
            for (Line l : lines) sb.append(l.text());
            out.put(path, sb.toString());
        });
        return out;
    }

    /** Files that a new source was appended to. */
    Set<String> newRepoFiles() {
        return Set.copyOf(newRepoFiles);
    }
}
