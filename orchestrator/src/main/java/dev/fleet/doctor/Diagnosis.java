package dev.fleet.doctor;

import dev.fleet.result.TaskResult;
import dev.fleet.result.TaskStatus;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One host's diagnosis: what stands in the way ({@link Finding}), the message it came with and the fix with the
 * host's own user, address and port filled in where the message names them. Built from the results of the
 * doctor's two probe tasks, the login ({@code ping}) and the sudo check, which go through the same transport as
 * {@code fleet run}: the classification reads fleet's own connection messages (SshTransport, KnownHostsVerifier).
 */
public record Diagnosis(String host, Finding finding, String message, String fix) {

    /** After the login user's name, the sudo probe prints one word: root, sudo-ok, sudo-password or no-sudo. */
    private static final String SUDO_PROBE = "if [ \"$(id -u)\" = 0 ]; then echo root; "
            + "elif ! command -v sudo >/dev/null 2>&1; then echo no-sudo; "
            + "elif sudo -n true 2>/dev/null; then echo sudo-ok; else echo sudo-password; fi";

    private static final Pattern WHO = Pattern.compile("(?<user>[^\\s@()]+)@(?<addr>[^\\s@()]+?):(?<port>\\d+)");
    private static final Pattern ENDPOINT = Pattern.compile(
            "(?<addr>\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9_.\\-]+|[0-9A-Fa-f:]+):(?<port>\\d{1,5})\\b");
    private static final Pattern OFFERED = Pattern.compile("offered keys: (?<key>/\\S+) \\(");
    private static final Pattern KNOWN_HOSTS = Pattern.compile("known_hosts(?: file)? \\(?(?<file>/[^\\s)]+)");

    /** The shell text of the sudo probe (see {@link #SUDO_PROBE}). */
    public static String sudoProbe() {
        return SUDO_PROBE;
    }

    /**
     * From the login probe's result; {@code sudo} is the sudo probe's result (its output: the login user, then one
     * word), null when it did not run; {@code keyHint} is the key to name in a fix.
     */
    public static Diagnosis of(TaskResult login, TaskResult sudo, String keyHint) {
        String msg = login.outcome().msg() == null ? "" : login.outcome().msg();
        Finding f;
        String user = null;
        if (login.status() == TaskStatus.OK || login.status() == TaskStatus.CHANGED) {
            String[] lines = sudo == null ? new String[0] : sudo.outcome().stdout().strip().split("\\R");
            user = lines.length > 1 ? lines[0].strip() : "the login user";
            String word = lines.length > 1 ? lines[lines.length - 1].strip() : "";
            f = switch (word) {
                case "sudo-password" -> Finding.SUDO_PASSWORD;
                case "no-sudo" -> Finding.NO_SUDO;
                default -> Finding.OK;
            };
            msg = switch (f) {
                case SUDO_PASSWORD -> "logged in as " + user + ", but sudo -n true asks for a password";
                case NO_SUDO -> "logged in as " + user + ", who is not root, and the host has no sudo";
                default -> "logged in as " + user + (word.equals("root") ? " (root)" : word.equals("sudo-ok")
                        ? " (sudo without a password works)" : "");
            };
        } else {
            f = classify(msg);
        }
        return new Diagnosis(login.host(), f, msg, fill(f.fix(), msg, user, keyHint));
    }

    /** Which stage a connection message is about; fleet's transport words each of them its own way. */
    static Finding classify(String msg) {
        String m = msg.toLowerCase(java.util.Locale.ROOT);
        if (m.startsWith("cannot resolve") || m.contains("unknownhost")) return Finding.RESOLVE;
        if (m.startsWith("no route to")) return Finding.NO_ROUTE;
        if (m.contains(") refused: nothing listens there")) return Finding.REFUSED;
        if (m.startsWith("connect to ") && m.contains("timed out after")) return Finding.CONNECT_TIMEOUT;
        if (m.startsWith("no ssh banner") || m.contains("before sending an ssh banner")) return Finding.NO_BANNER;
        if (m.contains("is not in known_hosts")) return Finding.HOST_KEY_UNKNOWN;
        if (m.contains("does not match known_hosts")) return Finding.HOST_KEY_CHANGED;
        if (m.startsWith("ssh handshake with")) return Finding.HANDSHAKE;
        if (m.contains("accepted none of the offered keys")) return Finding.KEY_REFUSED;
        if (m.contains("no usable private key")) return Finding.NO_KEY;
        return Finding.OTHER;
    }

    /** The fix with USER, ADDR, PORT, KNOWN_HOSTS and KEY taken from the message (or the login) where known. */
    static String fill(String fix, String msg, String user, String keyHint) {
        String addr = null;
        String port = null;
        Matcher who = WHO.matcher(msg);
        if (who.find()) {
            user = who.group("user");
            addr = who.group("addr");
            port = who.group("port");
        } else {
            Matcher e = ENDPOINT.matcher(msg);
            if (e.find()) {
                addr = e.group("addr");
                port = e.group("port");
            }
        }
        if (addr != null && addr.startsWith("[")) addr = addr.substring(1, addr.length() - 1);
        Matcher kh = KNOWN_HOSTS.matcher(msg);
        String out = fix;
        if (kh.find()) out = out.replace("KNOWN_HOSTS", kh.group("file"));
        Matcher offered = OFFERED.matcher(msg);
        if (offered.find()) keyHint = offered.group("key");
        if (keyHint != null) out = out.replace("KEY", keyHint);
        if (user != null) out = out.replace("USER", user);
        if (addr != null) out = out.replace("ADDR", addr);
        if (port != null) out = out.replace("PORT", port);
        return out;
    }
}
