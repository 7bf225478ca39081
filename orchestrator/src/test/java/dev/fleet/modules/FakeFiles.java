package dev.fleet.modules;

import dev.fleet.shell.ShellQuote;

import dev.fleet.testing.FakeHostSession;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scripts what a {@link FakeHostSession} answers when a file module looks at a remote path (the one-round-trip
 * stat/checksum/content script of the file modules), and reads back the shell scripts modules send.
 * Test code only: the answer format is the file modules' own (see {@code RemoteFiles.inspect}).
 */
final class FakeFiles {
    private FakeFiles() {}

    /** The script inside {@code /bin/sh -c '...'} or {@code sh -c '...'}; any other command as it is. */
    static String script(String command) {
        if (!command.startsWith("/bin/sh -c ") && !command.startsWith("sh -c ")) return command;
        try {
            List<String> words = ShellQuote.split(command);
            return words.size() == 3 ? words.get(2) : command;
        } catch (ShellQuote.UnbalancedQuote e) {
            return command;
        }
    }

    /** Every command the host ran, with {@code sh -c} wrappers taken off. */
    static List<String> scripts(FakeHostSession host) {
        return host.commands().stream().map(FakeFiles::script).toList();
    }

    /** Whether a command is a file module looking at a path (and nothing else). */
    static boolean isLook(String command) {
        String s = script(command);
        return s.startsWith("p=") && s.contains("echo exists") && s.contains("echo missing");
    }

    /** The commands that are not looks: the ones that change something. */
    static List<String> changes(FakeHostSession host) {
        return scripts(host).stream().filter(s -> !isLook(s)).toList();
    }

    /** The one write script (upload's chmod/chown/mv), failing unless exactly one was sent. */
    static String writeScript(FakeHostSession host) {
        List<String> w = scripts(host).stream().filter(FakeFiles::isWrite).toList();
        if (w.size() != 1) throw new AssertionError("expected one write script, found " + w + " in " + host.commands());
        return w.get(0);
    }

    /** Whether a command is the write script (after the upload: chmod/chown/validate/backup/mv). */
    static boolean isWrite(String command) {
        String s = script(command);
        return s.startsWith("t=") && s.contains("mv -f --");
    }

    /** Scripts how the write script ends: its exit code, stdout (the backup path) and stderr. */
    static void onWrite(FakeHostSession host, int rc, String stdout, String stderr) {
        host.when(FakeFiles::isWrite, c -> FakeHostSession.result(rc, stdout, stderr));
    }

    /** How a look at {@code path} is recognised: its first line names the path. */
    private static boolean looksAt(String command, String path) {
        return isLook(command) && script(command).startsWith("p=" + ShellQuote.quote(path) + "\n");
    }

    /** {@code path} does not exist; its directory does. */
    static void missing(FakeHostSession host, String path) {
        answer(host, path, "missing\nparent\n");
    }

    /** {@code path} does not exist, nor does its directory. */
    static void missingWithParent(FakeHostSession host, String path) {
        answer(host, path, "missing\nnoparent\n");
    }

    /** {@code path} does not exist and its "directory" is a file. */
    static void missingUnderFile(FakeHostSession host, String path) {
        answer(host, path, "missing\nnotdir\n");
    }

    static void answer(FakeHostSession host, String path, String stdout) {
        host.when(c -> looksAt(c, path), c -> FakeHostSession.result(0, stdout, ""));
    }

    /** A regular file with {@code content}, mode 0644, owned by root:root. */
    static Entry file(String path, String content) {
        return new Entry(path, 0100000, 0644, 0, 0, "root", "root", content.getBytes(StandardCharsets.UTF_8), "",
                "", "111", false);
    }

    static Entry file(String path, byte[] content) {
        return new Entry(path, 0100000, 0644, 0, 0, "root", "root", content, "", "", "111", false);
    }

    static Entry dir(String path) {
        return new Entry(path, 0040000, 0755, 0, 0, "root", "root", null, "", "", "111", false);
    }

    /** What a look at one existing path answers; {@link #on} scripts it. */
    record Entry(String path, int type, int mode, long uid, long gid, String owner, String group, byte[] content,
            String linkTarget, String realPath, String rwx, boolean tooLarge) {

        Entry mode(int m) {
            return new Entry(path, type, m, uid, gid, owner, group, content, linkTarget, realPath, rwx, tooLarge);
        }

        Entry owner(long id, String name) {
            return new Entry(path, type, mode, id, gid, name, group, content, linkTarget, realPath, rwx, tooLarge);
        }

        Entry group(long id, String name) {
            return new Entry(path, type, mode, uid, id, owner, name, content, linkTarget, realPath, rwx, tooLarge);
        }

        /** Seen without following: a symlink to {@code target}, which resolves to {@code real}. */
        Entry symlink(String target, String real) {
            return new Entry(path, 0120000, 0777, uid, gid, owner, group, content, target, real, rwx, tooLarge);
        }

        /** Seen following links: the link's target is the file (as stat -L reports), at {@code real}. */
        Entry linkedFrom(String real) {
            return new Entry(path, type, mode, uid, gid, owner, group, content, real, real, rwx, tooLarge);
        }

        Entry access(String readWriteExecute) {
            return new Entry(path, type, mode, uid, gid, owner, group, content, linkTarget, realPath,
                    readWriteExecute, tooLarge);
        }

        Entry beyondContentLimit() {
            return new Entry(path, type, mode, uid, gid, owner, group, content, linkTarget, realPath, rwx, true);
        }

        long size() {
            return content == null ? 4096 : content.length;
        }

        /** Scripts {@code host} to answer every look at this path. */
        Entry on(FakeHostSession host) {
            host.when(c -> looksAt(c, path), c -> FakeHostSession.result(0, answer(script(c)), ""));
            return this;
        }

        /** The look script's output for this entry, as the real script prints it. */
        String answer(String script) {
            StringBuilder s = new StringBuilder("exists\n");
            s.append(Integer.toHexString(type | mode)).append('|').append(uid).append('|').append(gid).append('|')
                    .append(owner).append('|').append(group).append('|').append(1700000000L).append('|')
                    .append(1700000100L).append('|').append(1700000200L).append('|').append(424242).append('|')
                    .append(1).append('|').append(2049).append('|').append(size()).append('\n');
            s.append(rwx).append('\n').append(linkTarget).append('\n').append(realPath).append('\n');
            boolean regular = type == 0100000 && content != null && rwx.charAt(0) == '1';
            Matcher sum = Pattern.compile("(\\w+)sum < \"\\$p\"").matcher(script);
            if (sum.find() && regular) s.append(digest(sum.group(1), content)).append("  -");
            s.append('\n');
            if (script.contains("echo content") && regular) {
                if (tooLarge) s.append("toolarge\n");
                else s.append("content\n").append(Base64.getMimeEncoder().encodeToString(content)).append('\n');
            } else {
                s.append("none\n");
            }
            return s.toString();
        }
    }

    static String sha1(String text) {
        return digest("sha1", text.getBytes(StandardCharsets.UTF_8));
    }

    static String digest(String algorithm, byte[] bytes) {
        String jca = Map.of("md5", "MD5", "sha1", "SHA-1", "sha224", "SHA-224", "sha256", "SHA-256", "sha384",
                "SHA-384", "sha512", "SHA-512").get(algorithm);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(jca).digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
