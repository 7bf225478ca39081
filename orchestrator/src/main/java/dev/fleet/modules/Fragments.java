package dev.fleet.modules;

import dev.fleet.shell.ShellQuote;
import dev.fleet.template.PythonRegex;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code assemble}'s fragments: reading the regular files of a directory (on the host or on the controller) and
 * joining them as Ansible does: sorted by name, a newline added after a fragment that lacks one, the delimiter
 * (with Python's string escapes) between fragments, itself ended by a newline.
 */
final class Fragments {
    private Fragments() {}

    /** One fragment file: its name in the directory and its bytes. */
    record Fragment(String name, byte[] content) {}

    /** Why the fragments could not be read; the task fails with this message. */
    static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message);
        }
    }

    /**
     * The regular files (symlinks followed, as os.path.isfile does) directly in {@code dir} on the host, in one
     * round trip: each as a line {@code <base64 name> <base64 content>}. Names are base64 so that any byte,
     * newlines included, survives.
     */
    static List<Fragment> onHost(ModuleContext ctx, String dir) throws TransportException, Unreadable {
        String script = "s=" + ShellQuote.quote(dir) + "\n"
                + "[ -e \"$s\" ] || { echo missing; exit 0; }\n"
                + "[ -d \"$s\" ] || { echo notdir; exit 0; }\n"
                + "cd -- \"$s\" || exit 3\n"
                + "echo ok\n"
                + "for f in .* *; do\n"
                + "  [ -f \"$f\" ] || continue\n"
                + "  n=$(printf '%s' \"$f\" | base64 -w0) || exit 4\n"
                + "  c=$(base64 -w0 < \"$f\") || exit 5\n"
                + "  printf '%s %s\\n' \"$n\" \"$c\"\n"
                + "done\n";
        CommandResult r = RemoteFiles.sh(ctx, script);
        String out = r.stdout();
        if (r.exitCode() != 0) {
            throw new Unreadable("cannot read the fragments in " + dir + ": " + RemoteFiles.reason(r.stderr()));
        }
        List<String> lines = out.lines().toList();
        String state = lines.isEmpty() ? "" : lines.get(0);
        if (state.equals("missing")) throw new Unreadable("Source (" + dir + ") does not exist");
        if (state.equals("notdir")) throw new Unreadable("Source (" + dir + ") is not a directory");
        if (!state.equals("ok")) throw new Unreadable("unexpected answer when listing " + dir + ": " + out);
        List<Fragment> found = new ArrayList<>();
        Base64.Decoder b64 = Base64.getDecoder();
        for (String line : lines.subList(1, lines.size())) {
            int sp = line.indexOf(' ');
            if (sp < 0) continue;
            found.add(new Fragment(new String(b64.decode(line.substring(0, sp)), StandardCharsets.UTF_8),
                    b64.decode(line.substring(sp + 1))));
        }
        return found;
    }

    /** The regular files directly in a controller directory (symlinks followed). */
    static List<Fragment> onController(Path dir) throws Unreadable {
        if (!Files.exists(dir)) throw new Unreadable("Source (" + dir + ") does not exist");
        if (!Files.isDirectory(dir)) throw new Unreadable("Source (" + dir + ") is not a directory");
        List<Fragment> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.filter(Files::isRegularFile).toList()) {
                found.add(new Fragment(p.getFileName().toString(), Files.readAllBytes(p)));
            }
        } catch (IOException e) {
            throw new Unreadable("cannot read the fragments in " + dir + ": " + e.getMessage());
        }
        return found;
    }

    /**
     * The assembled file: fragments in name order (code points, as Python sorts), those whose name does not
     * match {@code regexp} (searched, not anchored) or that are hidden (with {@code ignoreHidden}) left out.
     */
    static byte[] join(List<Fragment> fragments, PythonRegex regexp, boolean ignoreHidden, String delimiter) {
        List<Fragment> sorted = new ArrayList<>(fragments);
        sorted.sort(Comparator.comparing(Fragment::name, Fragments::compareCodePoints));
        byte[] delim = delimiter == null || delimiter.isEmpty() ? null : unescape(delimiter);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean first = true;
        boolean addNewline = false;
        for (Fragment f : sorted) {
            if (regexp != null && !regexp.matcher(f.name()).find()) continue;
            if (ignoreHidden && f.name().startsWith(".")) continue;
            if (addNewline) out.write('\n');
            if (!first && delim != null) {
                out.writeBytes(delim);
                if (delim[delim.length - 1] != '\n') out.write('\n');
            }
            out.writeBytes(f.content());
            first = false;
            addNewline = f.content().length == 0 || f.content()[f.content().length - 1] != '\n';
        }
        return out.toByteArray();
    }

    private static int compareCodePoints(String a, String b) {
        return java.util.Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    }

    /**
     * Python's {@code codecs.escape_decode}, which Ansible applies to the delimiter: {@code \n}, {@code \t},
     * {@code \\}, {@code \xHH}, octal {@code \NNN} and the other single-letter escapes; an unknown escape stays
     * as written. The text is UTF-8 encoded first.
     */
    static byte[] unescape(String text) {
        byte[] in = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < in.length; i++) {
            byte c = in[i];
            if (c != '\\' || i + 1 == in.length) {
                out.write(c);
                continue;
            }
            byte n = in[++i];
            switch (n) {
                case 'n' -> out.write('\n');
                case 't' -> out.write('\t');
                case 'r' -> out.write('\r');
                case 'a' -> out.write(7);
                case 'b' -> out.write(8);
                case 'f' -> out.write(12);
                case 'v' -> out.write(11);
                case '\\', '\'', '"' -> out.write(n);
                case '\n' -> { } // a backslash before a line end joins the lines
                case 'x' -> {
                    if (i + 2 < in.length && isHex(in[i + 1]) && isHex(in[i + 2])) {
                        out.write(Integer.parseInt(new String(in, i + 1, 2, StandardCharsets.US_ASCII), 16));
                        i += 2;
                    } else {
                        out.write('\\');
                        out.write(n);
                    }
                }
                default -> {
                    if (n >= '0' && n <= '7') {
                        int v = n - '0';
                        for (int k = 0; k < 2 && i + 1 < in.length && in[i + 1] >= '0' && in[i + 1] <= '7'; k++) {
                            v = v * 8 + (in[++i] - '0');
                        }
                        out.write(v & 0xff);
                    } else {
                        out.write('\\');
                        out.write(n);
                    }
                }
            }
        }
        return out.toByteArray();
    }

    private static boolean isHex(byte b) {
        return Character.digit(b, 16) >= 0;
    }
}
