package dev.fleet.modules;

import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A download made BY THE HOST into a temporary file there, with {@code curl} or, failing that, {@code wget}
 * (get_url, and unarchive's {@code remote_src} URLs). Everything that may be secret (headers, user and password)
 * travels in a config file on the command's standard input, never on a command line, where any user of the host
 * could read it with ps. One round trip: the download, then the temporary file's sha1 (and another digest if
 * asked), its size and the response headers.
 */
final class HostDownload {
    private HostDownload() {}

    /** Exit code of the script when neither tool exists. */
    static final int NO_TOOL = 127;
    private static final String HEADERS = "__FLEET_GET_URL_HEADERS__";

    /** How to make the request; {@code user} null for no credentials. */
    record Options(Map<String, String> headers, String user, String password, boolean forceBasicAuth,
            String agent, int timeout, boolean validateCerts, boolean useProxy, boolean decompress,
            String clientCert, String clientKey) {

        static Options plain(boolean validateCerts, int timeout) {
            return new Options(Map.of(), null, null, false, "ansible-httpget", timeout, validateCerts, true, true,
                    null, null);
        }
    }

    /**
     * One download.
     *
     * @param tmpDir          where the temporary file goes; null for the host's default ({@code mktemp})
     * @param ifModifiedSince a host file whose mtime makes the request conditional; null for none
     * @param digestCmd       a {@code *sum} command for a second digest of the download; null for none
     * @param readBack        return the content (base64) and delete the temporary file: small files only
     */
    record Request(String url, String tmpDir, String ifModifiedSince, String digestCmd, boolean readBack) {}

    /**
     * What came back. {@code status} is the HTTP status (0 when there was none: file URLs), {@code reason} its
     * phrase, {@code headers} the last response's, lower-cased; {@code error} says why the tool failed.
     */
    record Result(String tool, int exit, int status, String reason, String finalUrl, String tmpPath, String sha1,
            String digest, long size, Map<String, String> headers, String error, byte[] content) {

        /** Whether the tool got no usable answer at all (connection refused, unknown host, missing file). */
        boolean noResponse() {
            return exit != 0 && status <= 0;
        }
    }

    /** Neither curl nor wget is on the host's PATH. */
    static final class NoTool extends Exception {
        NoTool() {
            super("get_url needs curl or wget on the host; neither was found in PATH");
        }
    }

    /** Downloads {@code req.url()} on the host. */
    static Result fetch(ModuleContext ctx, Request req, Options opts)
            throws TransportException, NoTool, ModuleException {
        String tool = which(ctx);
        boolean curl = tool.equals("curl");
        StringBuilder s = new StringBuilder();
        s.append("u=").append(ShellQuote.quote(req.url())).append('\n');
        s.append(req.tmpDir() == null ? "t=$(mktemp) || exit 3\n"
                : "t=$(mktemp " + ShellQuote.quote(req.tmpDir() + "/.fleet-get_url.XXXXXX") + ") || exit 3\n");
        s.append("h=\"$t.h\"; rc=0; w=\n");
        List<String> argv = new ArrayList<>();
        if (curl) {
            argv.addAll(List.of("curl", "-sS", "-L", "-K", "-", "-o", "$t", "-D", "$h", "-w",
                    "%{http_code} %{url_effective}", "--connect-timeout", String.valueOf(opts.timeout()),
                    "-y", String.valueOf(opts.timeout()), "-Y", "1"));
            if (!opts.validateCerts()) argv.add("-k");
            if (!opts.useProxy()) argv.addAll(List.of("--noproxy", "*"));
            if (opts.decompress()) argv.add("--compressed");
            if (opts.clientCert() != null) argv.addAll(List.of("--cert", opts.clientCert()));
            if (opts.clientKey() != null) argv.addAll(List.of("--key", opts.clientKey()));
            if (req.ifModifiedSince() != null) argv.addAll(List.of("-z", req.ifModifiedSince()));
            argv.addAll(List.of("--", "$u"));
            s.append("w=$(").append(words(argv)).append(") || rc=$?\n");
        } else {
            s.append("c=$(mktemp) || exit 3; cat > \"$c\"\n");
            argv.addAll(List.of("wget", "--config=$c", "-S", "-O", "$t"));
            if (req.ifModifiedSince() != null) {
                s.append("ims=\"If-Modified-Since: $(TZ=GMT LC_ALL=C date -r ")
                        .append(ShellQuote.quote(req.ifModifiedSince())).append(" '+%a, %d %b %Y %H:%M:%S GMT')\"\n");
                argv.add("--header=$ims");
            }
            argv.addAll(List.of("--", "$u"));
            s.append(words(argv)).append(" 2> \"$h.w\" || rc=$?\nrm -f \"$c\"\n");
            // -S puts the server's headers on stderr, indented by two blanks; the rest is wget's own messages.
            s.append("sed -n 's/^  //p' \"$h.w\" > \"$h\"; grep -v '^  ' \"$h.w\" >&2; rm -f \"$h.w\"\n");
        }
        s.append("echo \"$t\"; echo \"$rc\"; echo \"$w\"\n");
        s.append("if [ -f \"$t\" ]; then sha1sum < \"$t\"; ")
                .append(req.digestCmd() == null ? "echo" : req.digestCmd() + " < \"$t\"")
                .append("; wc -c < \"$t\"; else echo; echo; echo 0; fi\n");
        if (req.readBack()) s.append("echo content; base64 < \"$t\"; rm -f \"$t\"\n");
        s.append("echo ").append(HEADERS).append("; cat \"$h\" 2>/dev/null; rm -f \"$h\"\n");
        byte[] stdin = (curl ? curlConfig(opts) : wgetConfig(opts)).getBytes(StandardCharsets.UTF_8);
        CommandResult r = RemoteFiles.sh(ctx, s.toString(), stdin);
        if (r.exitCode() == 3) {
            throw new ModuleException("cannot create a temporary file on the host"
                    + (req.tmpDir() == null ? "" : " in " + req.tmpDir()) + ": " + RemoteFiles.reason(r.stderr()));
        }
        return parse(tool, req.url(), r);
    }

    /** Argv words, each quoted, except the {@code $t}/{@code $u}-style references, double-quoted to expand. */
    private static String words(List<String> argv) {
        List<String> out = new ArrayList<>();
        for (String w : argv) {
            out.add(w.matches("(--[a-z]+=)?\\$[a-z]+") ? "\"" + w + "\"" : ShellQuote.quote(w));
        }
        return String.join(" ", out);
    }

    /** The tool to use: curl when present, else wget. */
    private static String which(ModuleContext ctx) throws TransportException, NoTool {
        CommandResult r = ctx.session().exec("if command -v curl >/dev/null 2>&1; then echo curl; "
                + "elif command -v wget >/dev/null 2>&1; then echo wget; else exit " + NO_TOOL + "; fi", ctx.timeout());
        String tool = r.stdout().strip();
        if (r.exitCode() != 0 || !(tool.equals("curl") || tool.equals("wget"))) throw new NoTool();
        return tool;
    }

    private static String curlConfig(Options o) throws ModuleException {
        StringBuilder c = new StringBuilder();
        c.append("user-agent = ").append(UriModule.configString(oneLine("http_agent", o.agent()))).append('\n');
        for (var e : o.headers().entrySet()) {
            c.append("header = ").append(UriModule.configString(oneLine("headers", e.getKey() + ": "
                    + e.getValue()))).append('\n');
        }
        if (o.user() != null) {
            String pw = o.password() == null ? "" : o.password();
            c.append("user = ").append(UriModule.configString(o.user() + ":" + pw)).append('\n');
            c.append(o.forceBasicAuth() ? "basic\n" : "anyauth\n");
        }
        return c.toString();
    }

    private static String wgetConfig(Options o) throws ModuleException {
        StringBuilder c = new StringBuilder("tries = 1\n");
        c.append("timeout = ").append(o.timeout()).append('\n');
        c.append("user_agent = ").append(oneLine("http_agent", o.agent())).append('\n');
        if (!o.validateCerts()) c.append("check_certificate = off\n");
        if (!o.useProxy()) c.append("use_proxy = off\n");
        if (o.clientCert() != null) c.append("certificate = ").append(oneLine("client_cert", o.clientCert()))
                .append('\n');
        if (o.clientKey() != null) c.append("private_key = ").append(oneLine("client_key", o.clientKey()))
                .append('\n');
        for (var e : o.headers().entrySet()) {
            c.append("header = ").append(oneLine("headers", e.getKey() + ": " + e.getValue())).append('\n');
        }
        if (o.user() != null) {
            c.append("user = ").append(oneLine("url_username", o.user())).append('\n');
            if (o.password() != null) {
                c.append("password = ").append(oneLine("url_password", o.password())).append('\n');
            }
            if (o.forceBasicAuth()) c.append("auth_no_challenge = on\n");
        }
        return c.toString();
    }

    private static String oneLine(String arg, String value) throws ModuleException {
        if (value.contains("\n") || value.contains("\r")) {
            // The value is not shown: headers and passwords may be secrets.
            throw new ModuleException("argument '" + arg + "' contains a line break, which cannot be sent");
        }
        return value;
    }

    private static Result parse(String tool, String url, CommandResult r) {
        String out = r.stdout();
        int at = out.indexOf(HEADERS + "\n");
        List<String> lines = (at < 0 ? out : out.substring(0, at)).lines().toList();
        String tmp = lines.size() > 0 ? lines.get(0) : "";
        int exit = lines.size() > 1 ? UriModule.parseInt(lines.get(1)) : r.exitCode();
        String w = lines.size() > 2 ? lines.get(2).strip() : "";
        String sha1 = lines.size() > 3 ? firstWord(lines.get(3)) : "";
        String digest = lines.size() > 4 ? firstWord(lines.get(4)) : "";
        long size = lines.size() > 5 ? Math.max(0, parseLong(lines.get(5))) : 0;
        byte[] content = null;
        if (lines.size() > 6 && lines.get(6).equals("content")) {
            content = Base64.getMimeDecoder().decode(String.join("", lines.subList(7, lines.size())));
        }
        // The dump holds every response of a redirect chain: the last status line starts the final one.
        Map<String, String> headers = new LinkedHashMap<>();
        int status = 0;
        String reason = "";
        String location = null;
        for (String line : (at < 0 ? "" : out.substring(at + HEADERS.length() + 1)).split("\r?\n")) {
            if (line.startsWith("HTTP/")) {
                headers.clear();
                String[] parts = line.strip().split(" ", 3);
                status = parts.length > 1 ? UriModule.parseInt(parts[1]) : 0;
                reason = parts.length > 2 ? parts[2] : "";
            } else {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                    headers.put(name, line.substring(colon + 1).strip());
                    if (name.equals("location") && line.substring(colon + 1).strip().contains("://")) {
                        location = line.substring(colon + 1).strip();
                    }
                }
            }
        }
        String finalUrl = url;
        if (!w.isEmpty()) {
            int sp = w.indexOf(' ');
            int code = UriModule.parseInt(sp < 0 ? w : w.substring(0, sp));
            if (code > 0) status = code;
            if (sp > 0 && !w.substring(sp + 1).isBlank()) finalUrl = w.substring(sp + 1).strip();
        } else if (location != null) {
            finalUrl = location;
        }
        String error = OutputText.tail(r.stderr(), 3);
        return new Result(tool, exit, status, reason, finalUrl, tmp, sha1, digest, size, headers, error, content);
    }

    private static String firstWord(String s) {
        String t = s.strip();
        int sp = t.indexOf(' ');
        return sp < 0 ? t : t.substring(0, sp);
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * A shell fragment that downloads {@code url} into the file named by {@code $t} on the host, with curl, else
     * wget, and exits 3 when that fails; {@code insecure} skips certificate checks ({@code validate_certs: false}).
     * For modules that only need the bytes of a public URL inside a larger script (apt_key, deb822_repository);
     * {@link #fetch} is the full download with headers, credentials and the response's metadata.
     */
    static String script(String url, boolean insecure) {
        String u = ShellQuote.quote(url);
        return "if command -v curl >/dev/null; then curl -fsSL -A ansible-httpget" + (insecure ? " -k" : "")
                + " -o \"$t\" -- " + u + " || exit 3; else wget -q -U ansible-httpget"
                + (insecure ? " --no-check-certificate" : "") + " -O \"$t\" -- " + u + " || exit 3; fi\n";
    }
}
