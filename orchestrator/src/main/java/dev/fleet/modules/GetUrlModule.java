package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code get_url}: the HOST downloads {@code url} (http, https, file) with curl or wget ({@link HostDownload}) into
 * a temporary file beside {@code dest}, which then replaces {@code dest} only when its sha1 differs. As in
 * Ansible: with {@code force: false} an existing file is fetched conditionally (If-Modified-Since: a 304 changes
 * nothing), and with a matching {@code checksum} not at all; a {@code dest} directory gets the name from
 * Content-Disposition or the URL; {@code checksum} may name a checksum file by URL. Unlike Ansible, a download
 * whose checksum does not match is refused before it replaces anything (Ansible moves it in, then deletes it),
 * and {@code --check} downloads to a temporary file to say truly whether {@code dest} would change (Ansible sends
 * a HEAD request and then compares against an empty body).
 */
final class GetUrlModule implements Module {
    private static final Set<String> ALGORITHMS = Set.of("md5", "sha1", "sha224", "sha256", "sha384", "sha512");

    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.str("url").required(), Arg.path("dest").required(), Arg.str("checksum").defaultsTo(""),
                    Arg.bool("force").aliases("thirsty").defaultsTo(false), Arg.bool("backup").defaultsTo(false),
                    Arg.dict("headers"), Arg.integer("timeout").defaultsTo(10), Arg.path("tmp_dest"),
                    Arg.bool("validate_certs").defaultsTo(true), Arg.bool("use_proxy").defaultsTo(true),
                    Arg.str("http_agent").defaultsTo("ansible-httpget"), Arg.str("url_username").aliases("username"),
                    Arg.str("url_password").aliases("password").noLog(),
                    Arg.bool("force_basic_auth").defaultsTo(false), Arg.bool("decompress").defaultsTo(true),
                    Arg.path("client_cert"), Arg.path("client_key"), Arg.bool("use_netrc").defaultsTo(true))
            .add(FileArgs.ATTRIBUTES)
            .build();

    public String name() {
        return "get_url";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException {
        String url = ctx.str("url");
        String dest = ctx.str("dest");
        ExpectedChecksum sum = ExpectedChecksum.parse(ctx.str("checksum"));
        FileAttrs attrs = FileAttrs.of(ctx);
        HostDownload.Options opts = options(ctx);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("url", url);
        data.put("dest", dest);
        data.put("elapsed", 0);
        try {
            RemoteFiles.Info info = RemoteFiles.inspect(ctx, name(), dest, true,
                    sum == null ? null : sum.algorithm() + "sum", false);
            boolean destIsDir = info.isDir();
            String expected = sum == null ? null : sum.resolve(ctx, url, opts);
            boolean force = ctx.bool("force");
            String ifModifiedSince = null;
            if (!destIsDir && info.exists()) {
                if (!force && expected != null && expected.equals(info.checksum())) {
                    boolean changed = RemoteFiles.applyAttrs(ctx, name(), info, attrs);
                    return changed ? TaskOutcome.changed("file already exists but file attributes changed")
                            .withData(data) : TaskOutcome.ok("file already exists").withData(data);
                }
                if (expected != null) force = true;
                // A file URL is read whatever its age, as urllib's file handler ignores If-Modified-Since.
                if (!force && !url.startsWith("file:")) ifModifiedSince = dest;
            }
            String parent = destIsDir ? dest : parentOf(dest);
            if (!info.exists() && info.parent() != RemoteFiles.Parent.EXISTS) {
                return TaskOutcome.failed("Destination " + parent + " does not exist").withData(data);
            }
            String tmpDir = ctx.check() ? null : ctx.has("tmp_dest") ? tmpDest(ctx) : parent;
            long t0 = System.nanoTime();
            HostDownload.Result got = HostDownload.fetch(ctx, new HostDownload.Request(url, tmpDir, ifModifiedSince,
                    sum == null ? null : sum.algorithm() + "sum", false), opts);
            data.put("elapsed", (int) ((System.nanoTime() - t0) / 1_000_000_000L));
            return finish(ctx, got, destIsDir, expected, attrs, data);
        } catch (RemoteFiles.HostFailure e) {
            return TaskOutcome.failed(e.getMessage()).withData(data);
        } catch (HostDownload.NoTool e) {
            return TaskOutcome.failed(e.getMessage()).withData(data);
        } catch (ExpectedChecksum.Unusable e) {
            return TaskOutcome.failed(e.getMessage()).withData(data);
        }
    }

    /** After the download: judge the response, compare with dest, move the file in, apply attributes. */
    private TaskOutcome finish(ModuleContext ctx, HostDownload.Result got, boolean destIsDir, String expected,
            FileAttrs attrs, Map<String, Object> data) throws TransportException, RemoteFiles.HostFailure {
        String url = ctx.str("url");
        boolean fileUrl = url.startsWith("file:/");
        if (got.noResponse()) {
            discard(ctx, got);
            return TaskOutcome.failed("Request failed: " + got.error()).withData(data);
        }
        if (got.status() == 304) {
            discard(ctx, got);
            data.put("status_code", 304);
            return TaskOutcome.ok("HTTP Error 304: Not Modified").withData(data);
        }
        if (!fileUrl && got.status() != 200) {
            discard(ctx, got);
            data.put("status_code", got.status());
            data.put("response", "HTTP Error " + got.status() + ": " + got.reason());
            return TaskOutcome.failed("Request failed").withData(data);
        }
        if (got.exit() != 0) {
            discard(ctx, got);
            return TaskOutcome.failed("Request failed: " + got.error()).withData(data);
        }
        String dest = ctx.str("dest");
        if (destIsDir) {
            dest = (dest.endsWith("/") ? dest : dest + "/") + fileName(got);
            data.put("dest", dest);
        }
        data.put("src", got.tmpPath());
        data.put("checksum_src", got.sha1());
        RemoteFiles.Info before = RemoteFiles.inspect(ctx, name(), dest, true, "sha1sum", false);
        if (before.isDir()) {
            discard(ctx, got);
            return TaskOutcome.failed("Destination " + dest + " is a directory").withData(data);
        }
        if (before.exists()) data.put("checksum_dest", before.checksum());
        String okMsg = "OK (" + got.headers().getOrDefault("content-length", "unknown") + " bytes)";
        if (!fileUrl) data.put("status_code", got.status());
        boolean differs = !before.exists() || !got.sha1().equals(before.checksum());
        if (ctx.check()) {
            discard(ctx, got);
            return (differs ? TaskOutcome.changed(okMsg) : TaskOutcome.ok(okMsg)).withData(data);
        }
        if (expected != null && !expected.equals(got.digest())) {
            discard(ctx, got);
            return TaskOutcome.failed("The checksum for " + dest + " did not match " + expected + "; it was "
                    + got.digest() + ".").withData(data);
        }
        if (differs) {
            String backup = moveIn(ctx, got.tmpPath(), dest, before);
            if (!backup.isEmpty()) data.put("backup_file", backup);
        } else {
            discard(ctx, got);
        }
        RemoteFiles.Info after = RemoteFiles.inspect(ctx, name(), dest, true, "md5sum", false);
        boolean changed = RemoteFiles.applyAttrs(ctx, name(), after, attrs) || differs;
        if (changed && !differs) after = RemoteFiles.inspect(ctx, name(), dest, true, "md5sum", false);
        data.put("md5sum", after.checksum());
        data.put("size", after.size());
        data.put("mode", FileAttrs.octal(after.mode()));
        data.put("uid", after.uid());
        data.put("gid", after.gid());
        data.put("owner", after.owner());
        data.put("group", after.group());
        data.put("state", "file");
        return (changed ? TaskOutcome.changed(okMsg) : TaskOutcome.ok(okMsg)).withData(data);
    }

    /**
     * Moves the downloaded file over {@code dest}: it takes the old file's mode and owner, or for a new file the
     * mode the umask gives (mktemp made it 0600); with {@code backup} the old file is kept first.
     *
     * @return the backup's path, or ""
     */
    private String moveIn(ModuleContext ctx, String tmp, String dest, RemoteFiles.Info before)
            throws TransportException, RemoteFiles.HostFailure {
        StringBuilder s = new StringBuilder("t=").append(ShellQuote.quote(tmp)).append("; p=")
                .append(ShellQuote.quote(dest)).append('\n')
                .append("fail() { rc=$1; rm -f -- \"$t\"; exit $rc; }\n");
        if (before.exists()) {
            s.append("chmod -- ").append(FileAttrs.octal(before.mode())).append(" \"$t\" || fail 4\n");
            s.append("chown -- ").append(before.uid()).append(':').append(before.gid()).append(" \"$t\" 2>/dev/null\n");
            if (ctx.bool("backup")) {
                s.append("b=\"$p.$$.$(date +%Y-%m-%d@%H:%M:%S)~\"; cp -p -- \"$p\" \"$b\" || fail 7; echo \"$b\"\n");
            }
        } else {
            s.append("chmod -- \"$(printf '%o' $((0666 & ~0$(umask))))\" \"$t\" || fail 4\n");
        }
        s.append("mv -f -- \"$t\" \"$p\" || fail 8\n");
        CommandResult r = RemoteFiles.sh(ctx, s.toString());
        if (r.exitCode() == 0) return r.stdout().strip();
        String what = switch (r.exitCode()) {
            case 4 -> "set the mode of";
            case 7 -> "back up";
            default -> "write";
        };
        throw new RemoteFiles.HostFailure("failed to copy " + tmp + " to " + dest + ": cannot " + what + " " + dest
                + ": " + RemoteFiles.reason(r.stderr()));
    }

    private static void discard(ModuleContext ctx, HostDownload.Result got) throws TransportException {
        if (!got.tmpPath().isEmpty()) RemoteFiles.sh(ctx, "rm -f -- " + ShellQuote.quote(got.tmpPath()));
    }

    /** Ansible's name for a download into a directory: Content-Disposition's filename, else the URL's. */
    static String fileName(HostDownload.Result got) {
        String disposition = got.headers().get("content-disposition");
        if (disposition != null) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^attachment; ?filename=\"?([^\"]+)")
                    .matcher(disposition);
            if (m.find()) {
                String name = m.group(1).substring(m.group(1).lastIndexOf('/') + 1);
                if (!name.isEmpty() && !name.equals(".") && !name.equals("..")) return name;
            }
        }
        return urlFileName(got.finalUrl());
    }

    /** The last segment of a URL's path, {@code index.html} when there is none. */
    static String urlFileName(String url) {
        String path = url.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*", "").replaceFirst("[?#].*$", "");
        String name = path.substring(path.lastIndexOf('/') + 1);
        return name.isEmpty() || name.equals(".") || name.equals("..") ? "index.html" : name;
    }

    private static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "." : slash == 0 ? "/" : path.substring(0, slash);
    }

    /** {@code tmp_dest}, which must be an existing directory (Ansible's messages otherwise). */
    private String tmpDest(ModuleContext ctx) throws TransportException, RemoteFiles.HostFailure {
        String dir = ctx.str("tmp_dest");
        RemoteFiles.Info info = RemoteFiles.inspect(ctx, name(), dir, true, null, false);
        if (info.isDir()) return dir;
        throw new RemoteFiles.HostFailure(info.exists() ? dir + " is a file but should be a directory."
                : dir + " directory does not exist.");
    }

    private static HostDownload.Options options(ModuleContext ctx) {
        Map<String, String> headers = new LinkedHashMap<>();
        ctx.dict("headers").forEach((k, v) -> headers.put(k, String.valueOf(v)));
        // As in Ansible, a password without a user name sends no credentials.
        String user = ctx.has("url_username") && !ctx.str("url_username").isEmpty() ? ctx.str("url_username") : null;
        return new HostDownload.Options(headers, user, ctx.str("url_password"), ctx.bool("force_basic_auth"),
                ctx.str("http_agent"), ctx.integer("timeout"), ctx.bool("validate_certs"), ctx.bool("use_proxy"),
                ctx.bool("decompress"), ctx.str("client_cert"), ctx.str("client_key"));
    }

    /** A {@code checksum} argument: {@code <algorithm>:<hex>} or {@code <algorithm>:<URL of a checksum file>}. */
    record ExpectedChecksum(String algorithm, String value) {

        /** The checksum cannot be used (bad format, no entry for the file in a checksum file). */
        static final class Unusable extends Exception {
            Unusable(String message) {
                super(message);
            }
        }

        /** Null for an empty argument. */
        static ExpectedChecksum parse(String arg) throws ModuleException {
            if (arg.isEmpty()) return null;
            int colon = arg.indexOf(':');
            if (colon < 0) {
                throw new ModuleException("argument 'checksum': The checksum parameter has to be in format"
                        + " <algorithm>:<checksum>");
            }
            String algorithm = arg.substring(0, colon);
            if (!ALGORITHMS.contains(algorithm)) {
                throw new ModuleException("argument 'checksum': unsupported algorithm '" + algorithm
                        + "'; use one of " + new java.util.TreeSet<>(ALGORITHMS));
            }
            return new ExpectedChecksum(algorithm, arg.substring(colon + 1));
        }

        boolean isUrl() {
            return value.matches("(?i)(https?|ftp|file)://.*");
        }

        /** The expected hex digest, lower case; a checksum file is downloaded by the host first. */
        String resolve(ModuleContext ctx, String url, HostDownload.Options opts)
                throws TransportException, HostDownload.NoTool, ModuleException, Unusable {
            String hex = value;
            if (isUrl()) {
                HostDownload.Result r = HostDownload.fetch(ctx, new HostDownload.Request(value, null, null, null,
                        true), opts);
                if (r.noResponse() || (!value.startsWith("file:") && r.status() != 200) || r.content() == null) {
                    throw new Unusable("Request failed: could not download the checksum file " + value + ": "
                            + (r.noResponse() ? r.error() : "HTTP Error " + r.status() + ": " + r.reason()));
                }
                hex = fromChecksumFile(new String(r.content(), java.nio.charset.StandardCharsets.UTF_8),
                        urlFileName(url));
                if (hex == null) {
                    throw new Unusable("Unable to find a checksum for file '" + urlFileName(url) + "' in '" + value
                            + "'");
                }
            }
            hex = hex.replaceAll("\\W+", "").toLowerCase(java.util.Locale.ROOT);
            if (!hex.matches("[0-9a-f]+")) {
                throw new Unusable("The checksum format is invalid");
            }
            return hex;
        }

        /**
         * The entry for {@code fileName} in a checksum file ({@code sha256sum} output: {@code <hex>  <name>},
         * {@code *name} for binary mode, {@code ./} prefixes ignored), or the file's only word.
         */
        static String fromChecksumFile(String text, String fileName) {
            List<String> lines = text.lines().toList();
            if (lines.size() == 1 && lines.get(0).strip().split("\\s+").length == 1) return lines.get(0).strip();
            for (String line : lines) {
                int sp = line.indexOf(' ');
                if (sp < 0) continue;
                String name = line.substring(sp + 1);
                if (name.startsWith(" ") || name.startsWith("*")) name = name.substring(1);
                if (name.replaceFirst("^[./]+", "").equals(fileName)) return line.substring(0, sp);
            }
            return null;
        }
    }
}
