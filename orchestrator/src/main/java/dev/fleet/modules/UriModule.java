package dev.fleet.modules;

import dev.fleet.shell.ShellQuote;
import dev.fleet.json.JsonValues;
import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code uri}: an HTTP request made BY THE HOST, with {@code curl}, so {@code http://127.0.0.1/} means the host's
 * own web server. The body goes to curl's standard input and headers are quoted, so neither is ever read by a
 * shell. Fails unless the status is in {@code status_code}, with Ansible's "Status code was 502 and not [200]".
 */
final class UriModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.str("url").required(), Arg.str("method").defaultsTo("GET"), Arg.raw("body"),
                    Arg.str("body_format").choices("form-urlencoded", "json", "raw").defaultsTo("raw"),
                    Arg.dict("headers"), Arg.list("status_code", ArgType.INT).defaultsTo(List.of(200)),
                    Arg.bool("return_content").defaultsTo(false), Arg.integer("timeout").defaultsTo(30),
                    Arg.bool("validate_certs").defaultsTo(true),
                    Arg.str("follow_redirects").choices("all", "no", "none", "safe", "urllib2", "yes")
                            .defaultsTo("safe"),
                    Arg.path("unix_socket"), Arg.str("url_username").aliases("user"),
                    Arg.str("url_password").aliases("password").noLog(),
                    Arg.bool("force_basic_auth").defaultsTo(false), Arg.bool("use_proxy").defaultsTo(true))
            .build();

    /** Printed by curl's -w after the body ("\n" becomes a newline); then status, redirects, url, content type. */
    static final String MARKER = "\n__FLEET_URI_7f3a__ ";
    private static final int NO_CURL = 127;
    private static final java.util.regex.Pattern TITLE = java.util.regex.Pattern.compile("(?is)<title>(.*?)</title>");

    public String name() {
        return "uri";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException {
        String url = ctx.str("url");
        String method = ctx.str("method").toUpperCase(Locale.ROOT);
        if (!method.matches("[A-Z]+")) throw new ModuleException("'" + method + "' is not an HTTP method");
        String bodyFormat = ctx.str("body_format");
        List<Object> expected = ctx.list("status_code");
        boolean returnContent = ctx.bool("return_content");
        int timeout = ctx.integer("timeout");
        boolean validateCerts = ctx.bool("validate_certs");
        boolean readOnly = method.equals("GET") || method.equals("HEAD");
        boolean followRedirects = switch (ctx.str("follow_redirects")) {
            case "all", "yes", "urllib2" -> true;
            case "safe" -> readOnly;
            default -> false; // none, no
        };
        if (ctx.check() && !readOnly) {
            return TaskOutcome.skipped("uri " + method + " would be sent (check mode)").withData(Map.of("url", url));
        }

        Map<String, String> headers = new LinkedHashMap<>();
        ctx.dict("headers").forEach((k, v) -> headers.put(k, String.valueOf(v)));
        byte[] body = null;
        if (ctx.has("body")) {
            Object b = ctx.raw("body");
            String text = switch (bodyFormat) {
                case "json" -> b instanceof String s ? s : Json.encode(b);
                case "form-urlencoded" -> b instanceof Map<?, ?> m ? formEncode(m) : String.valueOf(b);
                default -> String.valueOf(b); // raw
            };
            if (bodyFormat.equals("json") && !hasHeader(headers, "Content-Type")) {
                headers.put("Content-Type", "application/json");
            }
            if (bodyFormat.equals("form-urlencoded") && !hasHeader(headers, "Content-Type")) {
                headers.put("Content-Type", "application/x-www-form-urlencoded");
            }
            body = text.getBytes(StandardCharsets.UTF_8);
        }

        List<String> argv = new ArrayList<>(List.of("curl", "-sS", "-o", "-", "--max-time", String.valueOf(timeout),
                "-w", "\\n" + MARKER.substring(1) + "%{http_code} %{num_redirects} %{url_effective} %{content_type}"));
        if (method.equals("HEAD")) argv.add("-I");
        else argv.addAll(List.of("-X", method));
        if (followRedirects) argv.add("-L");
        if (!validateCerts) argv.add("-k");
        if (!ctx.bool("use_proxy")) argv.addAll(List.of("--noproxy", "*"));
        if (ctx.has("unix_socket")) argv.addAll(List.of("--unix-socket", ctx.str("unix_socket")));
        for (var e : headers.entrySet()) {
            if (e.getKey().contains("\n") || e.getValue().contains("\n")) {
                throw new ModuleException("header '" + e.getKey() + "' contains a newline");
            }
            argv.addAll(List.of("-H", e.getKey() + ": " + e.getValue()));
        }
        byte[] stdin = body;
        if (ctx.has("url_username") && !ctx.str("url_username").isEmpty()) {
            // As in Ansible, a password without a user name sends no credentials.
            // The password must never be on a command line, which any user of the host can read with ps: it
            // goes in a curl config read from stdin, and so does the body, which stdin can no longer carry.
            stdin = authConfig(ctx, body);
            argv.addAll(List.of("-K", "-"));
        } else if (body != null) {
            argv.addAll(List.of("--data-binary", "@-"));
        }
        argv.addAll(List.of("-D", "/dev/stderr", "--", url));
        String cmd = "command -v curl >/dev/null 2>&1 || { echo 'uri needs curl on the host' >&2; exit " + NO_CURL
                + "; }; " + ShellQuote.join(argv);
        Duration execTimeout = Duration.ofSeconds(timeout + 15L);
        if (execTimeout.compareTo(ctx.timeout()) > 0) execTimeout = ctx.timeout();
        long t0 = System.nanoTime();
        CommandResult r = ctx.session().exec(cmd, stdin, execTimeout);
        int elapsed = (int) Duration.ofNanos(System.nanoTime() - t0).toSeconds();

        Map<String, Object> data = new LinkedHashMap<>();
        data.put("url", url);
        data.put("elapsed", elapsed);
        if (r.exitCode() == NO_CURL && r.stderr().contains("uri needs curl")) {
            return new TaskOutcome(TaskStatus.FAILED, r.exitCode(), "", r.stderr(),
                    "uri needs curl on the host (not found in PATH)", data);
        }
        String out = r.stdout();
        int at = out.lastIndexOf(MARKER);
        if (r.exitCode() != 0 || at < 0) {
            String why = OutputText.tail(r.stderr().lines().filter(l -> l.startsWith("curl:")).reduce("",
                    (a, b) -> a + "\n" + b), 3);
            data.put("status", -1);
            return new TaskOutcome(TaskStatus.FAILED, r.exitCode(), "", r.stderr(), "Status code was -1 and not "
                    + expected + ": Request failed: " + (why.isEmpty() ? "curl exited with " + r.exitCode() : why),
                    data);
        }
        String content = out.substring(0, at);
        String[] meta = out.substring(at + MARKER.length()).strip().split(" ", 4);
        int status = parseInt(meta[0]);
        int redirects = meta.length > 1 ? parseInt(meta[1]) : 0;
        String finalUrl = meta.length > 2 ? meta[2] : url;
        String contentType = meta.length > 3 ? meta[3].strip() : "";
        data.put("status", status);
        data.put("url", finalUrl);
        data.put("redirected", redirects > 0);
        for (var e : responseHeaders(r.stderr()).entrySet()) data.putIfAbsent(e.getKey(), e.getValue());
        if (!contentType.isEmpty()) data.put("content_type", contentType);
        boolean ok = expected.contains(status);
        if (returnContent || !ok) data.put("content", content);
        if (contentType.toLowerCase(Locale.ROOT).contains("json") && !content.isBlank()) {
            try {
                Object json = JsonValues.plain(Json.decodeValue(content));
                if (json != null) data.put("json", json);
            } catch (DecodeException ignored) {
                // content type says JSON, body is not: content is still there
            }
        }
        if (!ok) {
            java.util.regex.Matcher title = TITLE.matcher(content);
            String snippet = title.find() ? title.group(1).strip()
                    : OutputText.tail(content.replaceAll("<[^>]*>", " ").replaceAll("[ \\t]+", " "), 3)
                            .replace('\n', ' ');
            if (snippet.length() > 200) snippet = snippet.substring(0, 200) + "...";
            return new TaskOutcome(TaskStatus.FAILED, null, "", "", "Status code was " + status + " and not "
                    + expected + ": HTTP Error " + status + (snippet.isEmpty() ? "" : ": " + snippet), data);
        }
        return new TaskOutcome(TaskStatus.OK, null, "", "", "OK (" + status + ")", data);
    }

    /**
     * A curl config giving the credentials and the body. Without force_basic_auth Ansible sends credentials
     * only when the server asks (basic or digest), which is curl's anyauth; with it, Basic auth up front.
     */
    private static byte[] authConfig(ModuleContext ctx, byte[] body) throws ModuleException {
        String user = ctx.str("url_username") + ":"
                + (ctx.has("url_password") ? ctx.str("url_password") : "");
        StringBuilder config = new StringBuilder("user = ").append(configString(user)).append('\n');
        if (!ctx.bool("force_basic_auth")) config.append("anyauth\n");
        if (body != null) {
            String text = new String(body, StandardCharsets.UTF_8);
            if (text.indexOf('\0') >= 0) {
                throw new ModuleException("uri cannot send a body containing a NUL character together with"
                        + " url_username/url_password; remove the NUL or put the credentials in the url");
            }
            // data-raw, unlike data, does not treat a leading '@' as a file name.
            config.append("data-raw = ").append(configString(text)).append('\n');
        }
        return config.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A double-quoted curl config value: one line, with curl's escapes for what would end or break it. */
    static String configString(String value) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\u000b' -> sb.append("\\v");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /** The last response's headers, as Ansible names them: lower case, '-' as '_'. */
    private static Map<String, Object> responseHeaders(String dump) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String line : dump.split("\r?\n")) {
            if (line.startsWith("HTTP/")) {
                out.clear();
            } else if (!line.startsWith("curl:")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).matches("[A-Za-z0-9-]+")) {
                    out.put(line.substring(0, colon).toLowerCase(Locale.ROOT).replace('-', '_'),
                            line.substring(colon + 1).strip());
                }
            }
        }
        return out;
    }

    private static boolean hasHeader(Map<String, String> headers, String name) {
        return headers.keySet().stream().anyMatch(k -> k.equalsIgnoreCase(name));
    }

    private static String formEncode(Map<?, ?> m) {
        StringBuilder sb = new StringBuilder();
        for (var e : m.entrySet()) {
            if (!sb.isEmpty()) sb.append('&');
            sb.append(URLEncoder.encode(String.valueOf(e.getKey()), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(String.valueOf(e.getValue()), StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    /** A whole number in curl's or wget's output, -1 when it is not one. */
    static int parseInt(String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
