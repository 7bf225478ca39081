package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.shell.ShellQuote;
import dev.fleet.template.PythonRegex;
import dev.fleet.template.RegexSubject;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code find}: lists files on the host that match, as Ansible's find does. One round trip walks every path with
 * {@code find} and {@code stat} (NUL-separated, so any file name survives) and reads the host's clock; the
 * filters run here: {@code patterns}/{@code excludes} on the base name (globs as Python's fnmatch, or with
 * {@code use_regex} Python regexes matched at the start of the name), {@code file_type} from lstat,
 * {@code hidden}, {@code depth}, {@code age} ({@code 2d}, {@code -1w}) and {@code size} ({@code 10k},
 * {@code -1m}; regular files only). A second round trip is made only for {@code contains} (each line matched
 * at its start, or the whole file searched with {@code read_whole_file}; files read in base64, at most
 * {@link RemoteFiles#MAX_CONTENT} in all) or {@code get_checksum}. Returns {@code files} (stat dictionaries with
 * float times), {@code matched}, {@code examined} (every entry walked), {@code skipped_paths} and {@code msg}.
 */
final class FindModule implements Module {
    private static final Pattern AGE = Pattern.compile("^(-?\\d+)([smhdw])?$");
    private static final Pattern SIZE = Pattern.compile("^(-?\\d+)([bkmgt])?$");
    private static final String STAT_FORMAT = "E\\0%f|%u|%g|%U|%G|%.9X|%.9Y|%.9Z|%i|%h|%d|%s\\0%n\\0";

    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.list("paths", ArgType.STR).required().aliases("name", "path"),
                    Arg.list("patterns", ArgType.STR).aliases("pattern"),
                    Arg.list("excludes", ArgType.STR).aliases("exclude"), Arg.str("contains"),
                    Arg.bool("read_whole_file").defaultsTo(false),
                    Arg.str("file_type").choices("any", "directory", "file", "link").defaultsTo("file"),
                    Arg.bool("recurse").defaultsTo(false), Arg.integer("depth"),
                    Arg.bool("hidden").defaultsTo(false), Arg.str("age"),
                    Arg.str("age_stamp").choices("atime", "ctime", "mtime").defaultsTo("mtime"), Arg.str("size"),
                    Arg.bool("follow").defaultsTo(false), Arg.bool("get_checksum").defaultsTo(false),
                    Arg.bool("use_regex").defaultsTo(false))
            .build();

    /** A path as one shell word, {@code ~} and {@code ~/...} expanded to the login's home as Ansible expands them. */
    static String hostPath(String p) {
        if (p.equals("~")) return "\"$HOME\"";
        if (p.startsWith("~/")) return "\"$HOME\"" + ShellQuote.quote(p.substring(1));
        return ShellQuote.quote(p);
    }

    /** One entry as lstat saw it. */
    record Entry(String root, String path, int rawMode, long uid, long gid, String owner, String group,
            double atime, double mtime, double ctime, long inode, long nlink, long dev, long size) {
        int type() {
            return rawMode & 0170000;
        }

        boolean isReg() {
            return type() == 0100000;
        }

        String name() {
            return path.substring(path.lastIndexOf('/') + 1);
        }

        int depth() {
            String r = root.replaceAll("/+$", "");
            return (int) (path.chars().filter(c -> c == '/').count() - r.chars().filter(c -> c == '/').count());
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", path);
            FileAttrs.putModeBits(m, rawMode);
            m.put("uid", uid);
            m.put("gid", gid);
            m.put("size", size);
            m.put("inode", inode);
            m.put("dev", dev);
            m.put("nlink", nlink);
            m.put("atime", atime);
            m.put("mtime", mtime);
            m.put("ctime", ctime);
            m.put("gr_name", group);
            m.put("pw_name", owner);
            return m;
        }
    }

    public String name() {
        return "find";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException {
        Long age = amount(ctx.str("age"), AGE, "age");
        Long size = amount(ctx.str("size"), SIZE, "size");
        if (age != null && age == Long.MIN_VALUE) {
            return TaskOutcome.failed("failed to process age").withData(Map.of("age", ctx.str("age")));
        }
        if (size != null && size == Long.MIN_VALUE) {
            return TaskOutcome.failed("failed to process size").withData(Map.of("size", ctx.str("size")));
        }
        boolean regex = ctx.bool("use_regex");
        List<String> patterns = ctx.strings("patterns").isEmpty() ? List.of("*") : ctx.strings("patterns");
        Predicate<String> include = names(patterns, regex);
        Predicate<String> exclude = ctx.strings("excludes").isEmpty() ? n -> false
                : names(ctx.strings("excludes"), regex);
        PythonRegex contains = null;
        if (ctx.has("contains")) {
            try {
                contains = PythonRegex.compile(ctx.str("contains"), 0);
            } catch (RuntimeException e) {
                throw new ModuleException("contains: invalid regular expression: " + e.getMessage());
            }
        }

        List<String> paths = ctx.strings("paths");
        StringBuilder s = new StringBuilder("date +%s; printf '\\0'\nfor p in");
        for (String p : paths) s.append(' ').append(hostPath(p));
        s.append("; do\n  printf 'P\\0%s\\0' \"$p\"\n  if [ ! -d \"$p\" ]; then printf 'X\\0'; continue; fi\n");
        s.append("  find ").append(ctx.bool("follow") ? "-L" : "-H").append(" \"$p\" -mindepth 1")
                .append(ctx.bool("recurse") ? "" : " -maxdepth 1").append(" -exec stat --printf '")
                .append(STAT_FORMAT).append("' {} + 2>/dev/null\ndone\n");
        CommandResult r = RemoteFiles.sh(ctx, s.toString());
        String[] tokens = r.stdout().split("\0", -1);
        double now;
        try {
            now = Double.parseDouble(tokens[0].strip());
        } catch (NumberFormatException e) {
            return TaskOutcome.failed("find: unexpected output from the host: " + r.stderr().strip());
        }
        List<Entry> found = new ArrayList<>();
        Map<String, Object> skipped = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        int examined = 0;
        String root = null;
        for (int i = 1; i < tokens.length; i++) {
            switch (tokens[i]) {
                case "P" -> root = tokens[++i];
                case "X" -> {
                    String why = "'" + root + "' is not a directory";
                    skipped.put(root, why);
                    warnings.add("Skipped '" + root + "' path due to this access issue: " + why + "\n");
                }
                case "E" -> {
                    Entry e = entry(root, tokens[i + 1], tokens[i + 2]);
                    i += 2;
                    if (e == null) continue;
                    examined++;
                    if (keep(ctx, e, include, exclude, age, size, now)) found.add(e);
                }
                default -> { }
            }
        }

        Map<String, String> sums = new LinkedHashMap<>();
        boolean checksum = ctx.bool("get_checksum");
        List<Entry> regular = found.stream().filter(Entry::isReg).toList();
        if ((contains != null || checksum) && !regular.isEmpty()) {
            if (contains != null) {
                long total = regular.stream().mapToLong(Entry::size).sum();
                if (total > RemoteFiles.MAX_CONTENT) {
                    return TaskOutcome.failed("find: contains would read " + total + " bytes from " + regular.size()
                            + " files, more than the " + RemoteFiles.MAX_CONTENT / (1024 * 1024) + " MiB fleet"
                            + " reads; narrow patterns, size or paths first");
                }
            }
            Map<String, byte[]> contents = readFiles(ctx, regular, contains != null, checksum, sums);
            if (contains != null) {
                PythonRegex re = contains;
                boolean whole = ctx.bool("read_whole_file");
                found = found.stream().filter(e -> !e.isReg() || contentMatches(re, contents.get(e.path()), whole))
                        .toList();
            }
        }
        if (contains != null) found = found.stream().filter(Entry::isReg).toList();
        List<Map<String, Object>> files = new ArrayList<>();
        for (Entry e : found) {
            Map<String, Object> m = e.toMap();
            if (checksum && e.isReg() && sums.containsKey(e.path())) m.put("checksum", sums.get(e.path()));
            files.add(m);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("files", files);
        data.put("matched", files.size());
        data.put("examined", examined);
        data.put("skipped_paths", skipped);
        if (!warnings.isEmpty()) data.put("warnings", warnings);
        return TaskOutcome.ok(skipped.isEmpty() ? "All paths examined"
                : "Not all paths examined, check warnings for details").withData(data);
    }

    private static boolean keep(ModuleContext ctx, Entry e, Predicate<String> include, Predicate<String> exclude,
            Long age, Long size, double now) {
        if (ctx.bool("recurse") && ctx.has("depth") && e.depth() > ctx.integer("depth")) return false;
        String name = e.name();
        if (!ctx.bool("hidden") && name.startsWith(".")) return false;
        boolean wanted = switch (ctx.str("file_type")) {
            case "file" -> e.isReg();
            case "directory" -> e.type() == 0040000;
            case "link" -> e.type() == 0120000;
            default -> true;
        };
        if (!wanted || !include.test(name) || exclude.test(name)) return false;
        if (age != null) {
            double stamp = switch (ctx.str("age_stamp")) {
                case "atime" -> e.atime();
                case "ctime" -> e.ctime();
                default -> e.mtime();
            };
            double old = now - stamp;
            if (age >= 0 ? old < age : old > -age) return false;
        }
        if (size != null && e.isReg()) {
            if (size >= 0 ? e.size() < size : e.size() > -size) return false;
        }
        return true;
    }

    /** Content (when asked) and sha1 (when asked) of each regular file, in one round trip. */
    private static Map<String, byte[]> readFiles(ModuleContext ctx, List<Entry> files, boolean content,
            boolean checksum, Map<String, String> sums) throws TransportException {
        StringBuilder s = new StringBuilder("for f in");
        for (Entry e : files) s.append(' ').append(ShellQuote.quote(e.path()));
        s.append("; do\n  printf 'F\\0'\n");
        s.append(checksum ? "  sha1sum < \"$f\" 2>/dev/null | cut -c1-40 | tr -d '\\n'\n" : "");
        s.append("  printf '\\0'\n");
        s.append(content ? "  base64 < \"$f\" 2>/dev/null | tr -d '\\n'\n" : "");
        s.append("  printf '\\0'\ndone\n");
        CommandResult r = RemoteFiles.sh(ctx, s.toString());
        String[] t = r.stdout().split("\0", -1);
        Map<String, byte[]> out = new LinkedHashMap<>();
        int i = 0;
        for (Entry e : files) {
            while (i < t.length && !t[i].equals("F")) i++;
            if (i + 2 >= t.length) break;
            if (!t[i + 1].isEmpty()) sums.put(e.path(), t[i + 1]);
            try {
                out.put(e.path(), Base64.getDecoder().decode(t[i + 2]));
            } catch (IllegalArgumentException bad) {
                out.put(e.path(), new byte[0]);
            }
            i += 3;
        }
        return out;
    }

    /** Python's re.match on each line (newline kept), or re.search on the whole text. */
    static boolean contentMatches(PythonRegex re, byte[] bytes, boolean whole) {
        if (bytes == null) return false;
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (whole) return re.matcher(text).find();
        RegexSubject.Budget budget = RegexSubject.budget(); // one for all lines of the file
        int at = 0;
        while (at < text.length()) {
            int nl = text.indexOf('\n', at);
            int end = nl < 0 ? text.length() : nl + 1;
            if (re.matcher(text.substring(at, end), budget).lookingAt()) return true;
            at = end;
        }
        return false;
    }

    private static Entry entry(String root, String stat, String path) {
        String[] f = stat.split("\\|", -1);
        if (f.length != 12) return null;
        try {
            return new Entry(root, path, Integer.parseInt(f[0], 16), Long.parseLong(f[1]), Long.parseLong(f[2]),
                    f[3], f[4], Double.parseDouble(f[5]), Double.parseDouble(f[6]), Double.parseDouble(f[7]),
                    Long.parseLong(f[8]), Long.parseLong(f[9]), Long.parseLong(f[10]), Long.parseLong(f[11]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Base names matching any of the patterns: Python fnmatch globs, or regexes matched at the start. */
    static Predicate<String> names(List<String> patterns, boolean regex) throws ModuleException {
        List<Pattern> compiled = new ArrayList<>();
        for (String p : patterns) {
            try {
                compiled.add(regex ? PythonRegex.compile(p, 0).pattern() : Pattern.compile(globToRegex(p),
                        Pattern.DOTALL));
            } catch (RuntimeException e) {
                throw new ModuleException("invalid pattern '" + p + "': " + e.getMessage());
            }
        }
        return name -> compiled.stream().anyMatch(c -> {
            Matcher m = regex ? RegexSubject.matcher(c, name) : c.matcher(name);
            return regex ? m.lookingAt() : m.matches();
        });
    }

    /** Python's fnmatch: * and ? match any character (dots and slashes too), [seq] and [!seq] as in the shell. */
    static String globToRegex(String glob) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i++);
            if (c == '*') {
                sb.append(".*");
            } else if (c == '?') {
                sb.append('.');
            } else if (c == '[') {
                int j = i;
                if (j < glob.length() && glob.charAt(j) == '!') j++;
                if (j < glob.length() && glob.charAt(j) == ']') j++;
                while (j < glob.length() && glob.charAt(j) != ']') j++;
                if (j >= glob.length()) {
                    sb.append("\\[");
                } else {
                    String set = glob.substring(i, j);
                    i = j + 1;
                    StringBuilder cls = new StringBuilder("[");
                    int k = 0;
                    if (set.startsWith("!")) {
                        cls.append('^');
                        k = 1;
                    } else if (set.startsWith("^")) {
                        cls.append("\\^");
                        k = 1;
                    }
                    for (; k < set.length(); k++) {
                        char d = set.charAt(k);
                        if (d == '\\' || d == '[' || d == '&' || d == '~' || d == '|') cls.append('\\');
                        cls.append(d);
                    }
                    sb.append(cls).append(']');
                }
            } else {
                sb.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return sb.toString();
    }

    /**
     * {@code 2d}, {@code -1w}, {@code 10k}: the amount in seconds or bytes (sign kept), null when not given,
     * {@link Long#MIN_VALUE} when it cannot be read.
     */
    static Long amount(String value, Pattern form, String what) {
        if (value == null) return null;
        Matcher m = form.matcher(value.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) return Long.MIN_VALUE;
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2);
        long factor = what.equals("age") ? switch (unit) {
            case "m" -> 60L;
            case "h" -> 3600L;
            case "d" -> 86400L;
            case "w" -> 604800L;
            default -> 1L;
        } : switch (unit) {
            case "k" -> 1024L;
            case "m" -> 1024L * 1024;
            case "g" -> 1024L * 1024 * 1024;
            case "t" -> 1024L * 1024 * 1024 * 1024;
            default -> 1L;
        };
        return n * factor;
    }
}
