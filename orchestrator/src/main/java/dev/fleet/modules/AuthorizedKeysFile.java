package dev.fleet.modules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ansible.posix {@code authorized_key}'s reading, merging and writing of an authorized_keys file, without a host.
 * Keys are told apart by their base64 blob; a line that is not a key (comment, blank, junk) is kept as it is,
 * under its own text. Lines are written back in rank order: existing keys where they were, new ones after them
 * in the order given; a key whose type, options or comment differ is taken out and added again at the end, and
 * every key line is written as {@code [options ]type blob comment} (with the space before an empty comment, as
 * Ansible writes it).
 */
final class AuthorizedKeysFile {
    private static final Set<String> KEY_TYPES = Set.of("sk-ecdsa-sha2-nistp256@openssh.com",
            "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com", "webauthn-sk-ecdsa-sha2-nistp256@openssh.com",
            "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256-cert-v01@openssh.com", "ecdsa-sha2-nistp384",
            "ecdsa-sha2-nistp384-cert-v01@openssh.com", "ecdsa-sha2-nistp521",
            "ecdsa-sha2-nistp521-cert-v01@openssh.com", "sk-ssh-ed25519@openssh.com",
            "sk-ssh-ed25519-cert-v01@openssh.com", "ssh-ed25519", "ssh-ed25519-cert-v01@openssh.com", "ssh-dss",
            "ssh-rsa", "ssh-xmss@openssh.com", "ssh-xmss-cert-v01@openssh.com", "rsa-sha2-256", "rsa-sha2-512",
            "ssh-rsa-cert-v01@openssh.com", "rsa-sha2-256-cert-v01@openssh.com", "rsa-sha2-512-cert-v01@openssh.com",
            "ssh-dss-cert-v01@openssh.com");
    private static final String SKIPPED = "skipped";
    /** One option: a run of characters that are not commas outside quotes. */
    private static final Pattern OPTION = Pattern.compile("(?:[^,\"']|\"[^\"]*\"|'[^']*')+");

    private AuthorizedKeysFile() {}

    /** One option in order; {@code value} null for a flag such as {@code no-pty}. */
    record Option(String name, String value) {}

    /**
     * One line: a key ({@code id} its blob) or, with type {@code skipped}, a line kept as it is ({@code id} the
     * line). {@code rank} orders the lines when they are written.
     */
    record Entry(String id, String type, List<Option> options, String comment, int rank) {
        boolean isKey() {
            return !type.equals(SKIPPED);
        }

        Entry withRank(int r) {
            return new Entry(id, type, options, comment, r);
        }

        Entry withOptions(List<Option> o) {
            return new Entry(id, type, o, comment, rank);
        }

        Entry withComment(String c) {
            return new Entry(id, type, options, c, rank);
        }

        /** Same key, type, options (compared as Python compares the module's option dictionaries) and comment. */
        boolean sameAs(Entry o) {
            return id.equals(o.id) && type.equals(o.type) && grouped(options).equals(grouped(o.options))
                    && java.util.Objects.equals(comment, o.comment);
        }

        String line() {
            if (!isKey()) return id;
            StringBuilder sb = new StringBuilder();
            if (!options.isEmpty()) {
                List<String> parts = new ArrayList<>();
                for (Option o : options) parts.add(o.value() == null ? o.name() : o.name() + "=" + o.value());
                sb.append(String.join(",", parts)).append(' ');
            }
            return sb.append(type).append(' ').append(id).append(' ').append(comment).append('\n').toString();
        }
    }

    private static Map<String, List<String>> grouped(List<Option> options) {
        Map<String, List<String>> m = new HashMap<>();
        for (Option o : options) m.computeIfAbsent(o.name(), k -> new ArrayList<>()).add(o.value());
        return m;
    }

    /** Parses one line or given key; null when it has no known key type (or no blob after the type). */
    static Entry parse(String raw, int rank) {
        String text = raw.replace("\\#", "#");
        String[] parts = text.strip().isEmpty() ? new String[0] : text.strip().split("\\s+");
        if (parts.length > 0 && parts[0].equals("#")) return new Entry(text, SKIPPED, List.of(), null, rank);
        for (int i = 0; i < parts.length; i++) {
            if (!KEY_TYPES.contains(parts[i])) continue;
            if (i + 1 >= parts.length) return null;
            String options = String.join(" ", List.of(parts).subList(0, i));
            String comment = String.join(" ", List.of(parts).subList(Math.min(i + 2, parts.length), parts.length));
            return new Entry(parts[i + 1], parts[i], options(options), comment, rank);
        }
        return null;
    }

    /** {@code key_options} text as options: split at commas outside quotes, {@code name=value} or a flag. */
    static List<Option> options(String text) {
        List<Option> out = new ArrayList<>();
        if (text == null || text.isEmpty()) return out;
        Matcher m = OPTION.matcher(text);
        while (m.find()) {
            String part = m.group();
            int eq = part.indexOf('=');
            out.add(eq < 0 ? new Option(part, null) : new Option(part.substring(0, eq), part.substring(eq + 1)));
        }
        return out;
    }

    /** The file's lines by id, in file order; a later line with the same id replaces an earlier one. */
    static LinkedHashMap<String, Entry> read(String content) {
        LinkedHashMap<String, Entry> keys = new LinkedHashMap<>();
        List<String> lines = LineEdits.splitLines(content, true);
        for (int i = 0; i < lines.size(); i++) {
            Entry e = parse(lines.get(i), i);
            if (e == null) e = new Entry(lines.get(i), SKIPPED, List.of(), null, i);
            keys.put(e.id(), e);
        }
        return keys;
    }

    /** The file's text: every entry's line by rank (ties in map order). */
    static String write(Map<String, Entry> keys) {
        List<Entry> ordered = new ArrayList<>(keys.values());
        ordered.sort(Comparator.comparingInt(Entry::rank));
        StringBuilder sb = new StringBuilder();
        for (Entry e : ordered) sb.append(e.line());
        return sb.toString();
    }

    /** What to do with the given keys. */
    record Request(List<String> newKeys, boolean present, String keyOptions, String comment, boolean exclusive) {}

    /**
     * Applies the request to the file's entries in place; returns whether the file must be written.
     *
     * @throws IllegalArgumentException naming a given line that is not a key
     */
    static boolean merge(LinkedHashMap<String, Entry> existing, Request req) {
        boolean write = false;
        List<String> keep = new ArrayList<>();
        int existingCount = existing.size();
        for (int rank = 0; rank < req.newKeys().size(); rank++) {
            String given = req.newKeys().get(rank);
            Entry wanted = parse(given, rank);
            if (wanted == null) throw new IllegalArgumentException("invalid key specified: " + given);
            if (req.keyOptions() != null) wanted = wanted.withOptions(options(req.keyOptions()));
            if (req.comment() != null) wanted = wanted.withComment(req.comment());
            Entry old = existing.get(wanted.id());
            boolean matched = old != null && (!req.present() || wanted.sameAs(old));
            if (req.present()) {
                keep.add(wanted.id());
                if (old != null && !matched) {
                    existing.remove(wanted.id());
                    write = true;
                }
                if (!matched) {
                    existing.put(wanted.id(), wanted.withRank(existingCount + rank));
                    write = true;
                }
            } else if (matched) {
                existing.remove(wanted.id());
                write = true;
            }
        }
        if (req.present() && req.exclusive()) write |= existing.keySet().retainAll(keep);
        return write;
    }
}
