package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code known_hosts}: adds, replaces or removes a host's key in a known_hosts file. The host's own
 * {@code ssh-keygen -F} finds the host (plain, {@code [host]:port} or hashed entries) and checks that a given
 * key names that host; {@code ssh-keygen -R} removes every key of a host when no key is given. Returns Ansible's
 * keys: the arguments ({@code name}, {@code key}, {@code path} expanded, {@code hash_host}), {@code diff}
 * (before/after) and, as every Ansible module that returns a {@code path}, the path's {@link PathInfo} (whose
 * {@code state} is the file's, e.g. {@code file}, not the argument).
 */
final class KnownHostsModule implements Module {
    private static final Pattern NAME_LIST = Pattern.compile("\\S+(\\s+)?,(\\s+)?");
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.str("name").required().aliases("host"), Arg.str("key"),
                    Arg.path("path").defaultsTo("~/.ssh/known_hosts"), Arg.bool("hash_host").defaultsTo(false),
                    Arg.str("state").choices("absent", "present").defaultsTo("present"))
            .build();

    public String name() {
        return "known_hosts";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException {
        String host = ctx.str("name").toLowerCase(Locale.ROOT);
        String given = ctx.str("key");
        String key = given == null || given.isEmpty() ? null : given;
        boolean present = ctx.str("state").equals("present");
        if (key == null && present) return TaskOutcome.failed("No key specified when adding a host");
        if (key != null && NAME_LIST.matcher(host).find()) {
            return TaskOutcome.failed("Comma separated list of names is not supported. Please pass a single name to"
                    + " lookup in the known_hosts file.");
        }
        if (key != null && KnownHostsLines.KeyLine.parse(key) == null) {
            throw new ModuleException("argument 'key' must be a known_hosts line (host, key type, key), found '"
                    + key + "'");
        }
        if (key != null && ctx.bool("hash_host")) key = KnownHostsLines.hashHost(host, key);
        if (key != null && !key.endsWith("\n")) key += "\n";
        try {
            String path = RemoteHome.expand(ctx, ctx.str("path"));
            if (key != null && keygenFind(ctx, host, key, true).isEmpty()) {
                return TaskOutcome.failed("Host parameter does not match hashed host field in supplied key");
            }
            RemoteFiles.Info info = RemoteFiles.inspect(ctx, name(), path, true, null, true);
            String before = info.exists() ? RemoteFiles.text(name(), info) : "";
            KnownHostsLines.Search s = info.exists()
                    ? KnownHostsLines.search(keygenFind(ctx, host, path, false), key)
                    : KnownHostsLines.Search.ABSENT;
            int drop = (s.replaceOrAdd() || !present) ? s.line() : -1;
            String after = KnownHostsLines.edit(before, drop, present && (s.replaceOrAdd() || s.line() < 0)
                    ? key : null);
            Map<String, Object> diff = new LinkedHashMap<>();
            diff.put("before_header", info.exists() ? path : "/dev/null");
            diff.put("after_header", path);
            diff.put("before", before);
            diff.put("after", after);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("diff", diff);
            if (!present && key != null && s.line() < 0) return TaskOutcome.ok("").withData(result(ctx, path, data));
            boolean change = s.replaceOrAdd() || present != s.found();
            if (ctx.check()) return (change ? TaskOutcome.changed("") : TaskOutcome.ok("")).withData(data);
            if (s.found() && key == null && !present) {
                CommandResult r = RemoteFiles.sh(ctx, "ssh-keygen -R " + ShellQuote.quote(host) + " -f "
                        + ShellQuote.quote(path));
                if (r.exitCode() != 0) {
                    return TaskOutcome.failed("ssh-keygen -R failed: " + RemoteFiles.reason(r.stderr()));
                }
            } else if (change) {
                // Onto the path itself, as Ansible's atomic move: a symlink there is replaced by the file.
                RemoteFiles.write(ctx, name(), path, after.getBytes(StandardCharsets.UTF_8),
                        new FileAttrs(null, null, null), info, false, false, null);
            }
            return (change ? TaskOutcome.changed("") : TaskOutcome.ok("")).withData(result(ctx, path, data));
        } catch (RemoteFiles.HostFailure e) {
            return TaskOutcome.failed(e.getMessage());
        }
    }

    /** Ansible returns the module's parameters, {@code path} expanded, and the path's {@link PathInfo}. */
    private Map<String, Object> result(ModuleContext ctx, String path, Map<String, Object> data)
            throws TransportException, RemoteFiles.HostFailure {
        Map<String, Object> out = new LinkedHashMap<>(data);
        out.put("name", ctx.str("name"));
        // Ansible's key is None without a key; fleet's results carry no nulls, so the key is left out then.
        if (ctx.has("key")) out.put("key", ctx.str("key"));
        out.put("path", path);
        out.put("hash_host", ctx.bool("hash_host"));
        out.putAll(PathInfo.of(ctx, name(), path));
        return out;
    }

    /**
     * {@code ssh-keygen -F host} over a file ({@code keyText} false: {@code source} is its path) or over a key
     * line given as text; its stdout, "" when the host is not there.
     */
    private String keygenFind(ModuleContext ctx, String host, String source, boolean keyText)
            throws TransportException, RemoteFiles.HostFailure {
        String h = ShellQuote.quote(host);
        String script = keyText
                ? "t=$(mktemp) || exit 3; printf '%s' " + ShellQuote.quote(source) + " > \"$t\"; ssh-keygen -F " + h
                        + " -f \"$t\"; rc=$?; rm -f -- \"$t\"; exit $rc"
                : "ssh-keygen -F " + h + " -f " + ShellQuote.quote(source);
        CommandResult r = RemoteFiles.sh(ctx, script);
        if (r.stdout().isEmpty() && (r.exitCode() == 0 || r.exitCode() == 1)) return "";
        if (r.exitCode() != 0) {
            throw new RemoteFiles.HostFailure("ssh-keygen failed (rc=" + r.exitCode() + ", stdout='" + r.stdout()
                    + "',stderr='" + r.stderr() + "')");
        }
        return r.stdout();
    }
}
