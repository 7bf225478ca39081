package dev.fleet.modules;

import dev.fleet.shell.ShellQuote;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How {@code unarchive} handles one archive on the host, named as Ansible names its handlers: {@code ZipArchive}
 * (unzip and zipinfo) or GNU tar with {@code -z} ({@code TgzArchive}), no flag ({@code TarArchive}, which GNU tar's
 * own detection lets read bzip2 and xz archives too, as in Ansible), {@code -j} or {@code -J}. Builds the
 * commands to list the members, to tell whether {@code dest} already holds them, and to extract them.
 *
 * @param handler  Ansible's handler class name, returned as {@code handler}
 * @param tarFlag  the compression flag for tar ("" for none); null for zip
 */
record ArchiveFormat(String handler, String tarFlag) {
    /** Lines of tar --diff that mean a difference (the others are noise), as Ansible filters them. */
    private static final Pattern OWNER_DIFF = Pattern.compile(": Uid differs$");
    private static final Pattern GROUP_DIFF = Pattern.compile(": Gid differs$");
    private static final Pattern MODE_DIFF = Pattern.compile(": Mode differs$");
    private static final Pattern ALWAYS_DIFF = Pattern.compile(": Mod time differs$"
            + "|(?<!: ): Warning: Cannot stat: No such file or directory$|: Invalid owner|: Invalid group");

    /** What the task asks for, shared by every command. */
    record Options(List<String> exclude, List<String> include, List<String> extraOpts, boolean keepNewer,
            String owner, String group, boolean modeGiven) {}

    boolean isZip() {
        return tarFlag == null;
    }

    /**
     * The script that picks the handler for the archive at {@code $s}: prints the handler name, or
     * {@code none} and the reasons. Zip comes first, then tar with each flag, as Ansible tries them.
     */
    static String detectScript(String src) {
        return "s=" + ShellQuote.quote(src) + "\n"
                + "if command -v unzip >/dev/null 2>&1 && command -v zipinfo >/dev/null 2>&1; then\n"
                + "  unzip -l \"$s\" >/dev/null 2>&1 && { echo ZipArchive; exit 0; }\n"
                + "  why=\"Command \\\"unzip\\\" could not handle archive\"\n"
                + "else why=\"Unable to find required 'unzip' or 'zipinfo' binary in the path.\"; fi\n"
                + "command -v tar >/dev/null 2>&1 || { echo none; echo \"$why\";"
                + " echo \"Unable to find required 'gtar' or 'tar' binary in the path\"; exit 0; }\n"
                + "tar --version 2>/dev/null | head -n 1 | grep -q GNU || { echo none; echo \"$why\";"
                + " echo 'Command \"tar\" detected as tar type bsd. GNU tar required.'; exit 0; }\n"
                + "for f in -z '' -j -J; do\n"
                + "  n=$(LC_ALL=C tar --list $f -f \"$s\" 2>/dev/null | head -n 1)\n"
                + "  [ -n \"$n\" ] && { echo \"tar$f\"; exit 0; }\n"
                + "done\n"
                + "echo none; echo \"$why\"; echo 'Command \"tar\" could not handle archive.'\n";
    }

    /** The format a detection answer names, or null for {@code none}. */
    static ArchiveFormat fromDetection(String answer) {
        return switch (answer.strip()) {
            case "ZipArchive" -> new ArchiveFormat("ZipArchive", null);
            case "tar-z" -> new ArchiveFormat("TgzArchive", "-z");
            case "tar" -> new ArchiveFormat("TarArchive", "");
            case "tar-j" -> new ArchiveFormat("TarBzipArchive", "-j");
            case "tar-J" -> new ArchiveFormat("TarXzArchive", "-J");
            default -> null;
        };
    }

    /** Lists the members (one per line; tar escapes unusual bytes, {@link #members} decodes them). */
    String listCommand(String src, String dest, Options o) {
        List<String> argv = new ArrayList<>();
        if (isZip()) {
            argv.addAll(List.of("zipinfo", "-1", src));
        } else {
            argv.addAll(List.of("tar", "--list", "-C", dest));
            tarOptions(argv, o, false);
            argv.addAll(List.of("-f", src));
            argv.addAll(o.include());
        }
        return "LC_ALL=C " + ShellQuote.join(argv);
    }

    /** The member names from {@link #listCommand}'s output, filtered by include/exclude as Ansible does. */
    List<String> members(String listing, Options o) {
        List<String> out = new ArrayList<>();
        for (String line : listing.split("\n")) {
            if (line.isEmpty()) continue;
            String name = isZip() ? line : new String(Fragments.unescape(line), StandardCharsets.UTF_8);
            if (name.startsWith("/")) name = name.substring(1);
            if (isZip() && !o.include().isEmpty()) {
                if (o.include().stream().anyMatch(p -> fnmatch(p, line))) out.add(name);
                continue;
            }
            String candidate = isZip() ? line : name;
            if (o.exclude().stream().noneMatch(p -> fnmatch(isZip() ? p : stripSlash(p), candidate))) out.add(name);
        }
        return out;
    }

    /**
     * A script that exits 0 when {@code dest} already holds the archive. For tar, {@code tar --diff} with
     * Ansible's filter of its lines; for zip, the archive is extracted into a scratch directory next to nothing
     * else and each member compared with dest's (type, content and, unless {@code mode} is given, permissions).
     */
    String unarchivedScript(String src, String dest, Options o, List<String> members) {
        if (isZip()) {
            StringBuilder s = new StringBuilder("x=$(mktemp -d) || exit 3\n");
            s.append(ShellQuote.join(zipExtract(src, "$x", o, true)).replace("'$x'", "\"$x\""))
                    .append(" >/dev/null 2>&1 || { rm -rf \"$x\"; exit 1; }\n");
            s.append("d=").append(ShellQuote.quote(dest)).append("; rc=0\n");
            s.append("while IFS= read -r m; do\n"
                    + "  case \"$m\" in */) [ -d \"$d/$m\" ] || { rc=1; break; }; continue;; esac\n"
                    + "  [ -f \"$x/$m\" ] || [ -L \"$x/$m\" ] || continue\n"
                    + "  [ -f \"$d/$m\" ] || [ -L \"$d/$m\" ] || { rc=1; break; }\n"
                    + "  cmp -s \"$x/$m\" \"$d/$m\" || { rc=1; break; }\n");
            if (!o.modeGiven()) {
                s.append("  [ \"$(stat -c %a \"$x/$m\")\" = \"$(stat -c %a \"$d/$m\")\" ] || { rc=1; break; }\n");
            }
            s.append("done <<'__FLEET_MEMBERS__'\n").append(String.join("\n", members))
                    .append("\n__FLEET_MEMBERS__\nrm -rf \"$x\"; exit $rc\n");
            return s.toString();
        }
        List<String> argv = new ArrayList<>(List.of("tar", "--diff", "-C", dest));
        tarOptions(argv, o, true);
        argv.addAll(List.of("-f", src));
        argv.addAll(o.include());
        return "id -u; LC_ALL=C " + ShellQuote.join(argv) + " 2>&1; exit 0\n";
    }

    /** Whether the output of the tar --diff script shows no difference that counts (Ansible's filter). */
    boolean tarDiffClean(String output, Options o) {
        List<String> lines = output.lines().toList();
        boolean root = !lines.isEmpty() && lines.get(0).strip().equals("0");
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            if (line.endsWith(": : Warning: Cannot stat: No such file or directory")) continue;
            if (root && o.owner() == null && OWNER_DIFF.matcher(line).find()) return false;
            if (root && o.group() == null && GROUP_DIFF.matcher(line).find()) return false;
            if (!o.modeGiven() && MODE_DIFF.matcher(line).find()) return false;
            if (ALWAYS_DIFF.matcher(line).find()) return false;
        }
        return true;
    }

    /** The extraction command, as Ansible runs it. */
    List<String> extractArgv(String src, String dest, Options o) {
        if (isZip()) return zipExtract(src, dest, o, false);
        List<String> argv = new ArrayList<>(List.of("tar", "--extract", "-C", dest));
        tarOptions(argv, o, true);
        argv.addAll(List.of("-f", src));
        argv.addAll(o.include());
        return argv;
    }

    private List<String> zipExtract(String src, String dest, Options o, boolean quiet) {
        List<String> argv = new ArrayList<>(List.of("unzip"));
        if (quiet) argv.add("-qq");
        argv.add(o.keepNewer() ? "-u" : "-o");
        argv.addAll(o.extraOpts());
        argv.add(src);
        if (!o.exclude().isEmpty()) {
            argv.add("-x");
            argv.addAll(o.exclude());
        }
        argv.addAll(o.include());
        argv.addAll(List.of("-d", dest));
        return argv;
    }

    private void tarOptions(List<String> argv, Options o, boolean ownership) {
        if (!tarFlag.isEmpty()) argv.add(tarFlag);
        if (!o.extraOpts().isEmpty()) {
            argv.add("--show-transformed-names");
            argv.addAll(o.extraOpts());
        }
        if (ownership && o.owner() != null) argv.add("--owner=" + o.owner());
        if (ownership && o.group() != null) argv.add("--group=" + o.group());
        if (ownership && o.keepNewer()) argv.add("--keep-newer-files");
        for (String e : o.exclude()) argv.add("--exclude=" + stripSlash(e));
    }

    private static String stripSlash(String s) {
        return s.replaceAll("/+$", "");
    }

    /** Python's fnmatch.fnmatch on POSIX (case-sensitive). */
    static boolean fnmatch(String pattern, String name) {
        return Pattern.compile(FindModule.globToRegex(pattern), Pattern.DOTALL).matcher(name).matches();
    }
}
