package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code apt_key}: makes an apt signing key present or absent, as Ansible 2.14 does. The key is named by
 * {@code id} or read from {@code data}, {@code file} or {@code url} (downloaded on the host with curl or wget);
 * {@code keyserver} imports by id through apt-key. Present means the id (8 characters: the short id, else the
 * 16-character long id) is among the listed keys afterwards. Where the host has no apt-key, a {@code keyring} file
 * is managed with gpg instead ({@link AptKeyTool}); without one the task fails as Ansible's does.
 */
final class AptKeyModule implements Module {
    private static final String NOT_DONE = "apt-key did not return an error, but %s (check that the id is correct"
            + " and *not* a subkey)";

    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.str("id"), Arg.str("url"), Arg.str("data"), Arg.path("file"), Arg.path("keyring"),
                    Arg.bool("validate_certs").defaultsTo(true), Arg.str("keyserver"),
                    Arg.str("state").choices("absent", "present").defaultsTo("present"))
            .mutuallyExclusive("data", "file", "keyserver", "url")
            .build();

    /** Ansible's three forms of a key id: for apt-key del, for comparing with the listing, and as given. */
    record KeyId(String shortId, String fingerprint, String keyId) {
        static KeyId parse(String given) {
            String id = given.strip().toUpperCase(Locale.ROOT);
            if (id.startsWith("0X")) id = id.substring(2);
            if (id.isEmpty() || !id.matches("[0-9A-F]+")) return null;
            if (id.length() != 8 && id.length() != 16 && id.length() <= 16) return null;
            return new KeyId(id.substring(id.length() - 8), id.length() > 16 ? id.substring(id.length() - 16) : id,
                    id);
        }
    }

    public String name() {
        return "apt_key";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException {
        CommandResult which = ctx.session().exec("command -v apt-key; command -v gpg; echo \"PATH=$PATH\"",
                ctx.timeout());
        String found = which.stdout();
        String path = found.lines().filter(l -> l.startsWith("PATH=")).findFirst().orElse("PATH=").substring(5);
        boolean hasAptKey = found.lines().anyMatch(l -> l.endsWith("/apt-key"));
        boolean hasGpg = found.lines().anyMatch(l -> l.endsWith("/gpg"));
        String keyring = ctx.str("keyring");
        if (!hasGpg || (!hasAptKey && keyring == null)) {
            return TaskOutcome.failed("Failed to find required executable \"" + (hasGpg ? "apt-key" : "gpg")
                    + "\" in paths: " + path);
        }
        AptKeyTool tool = new AptKeyTool(hasAptKey, keyring);
        String keyIdArg = ctx.str("id");
        String data = ctx.str("data");
        byte[] keyBytes = data == null ? null : data.getBytes(StandardCharsets.UTF_8);
        String file = ctx.str("file");
        String url = ctx.str("url");
        Map<String, Object> r = new LinkedHashMap<>();
        if (keyIdArg == null || keyIdArg.isEmpty()) {
            if (ctx.has("keyserver")) return TaskOutcome.failed("Missing key_id, required with keyserver.");
            if (url != null) {
                keyBytes = download(ctx, url);
                if (keyBytes == null) return TaskOutcome.failed("Failed to download key at " + url);
            }
            if (file != null || keyBytes != null) {
                CommandResult ids = tool.run(ctx, AptKeyTool.idsCommand(file), file == null ? keyBytes : null);
                if (ids.exitCode() != 0) {
                    return failed("Unable to extract key from '" + (file == null ? "inline data" : file) + "'",
                            ids, r);
                }
                List<String> keys = AptKeyTool.parseKeys(ids.stdout(), false);
                keyIdArg = keys.isEmpty() ? null : keys.get(0);
            }
        }
        if (keyIdArg != null) r.put("id", keyIdArg);
        KeyId key = keyIdArg == null ? null : KeyId.parse(keyIdArg);
        if (key == null) return TaskOutcome.failed("Invalid key_id").withData(r);
        r.put("short_id", key.shortId());
        r.put("fp", key.fingerprint());
        r.put("key_id", key.keyId());
        boolean shortFormat = key.keyId().length() == 8;
        CommandResult listed = tool.run(ctx, tool.listCommand(), null);
        if (listed.exitCode() != 0) return failed("Unable to list public keys", listed, r);
        List<String> before = AptKeyTool.parseKeys(listed.stdout(), shortFormat);
        r.put("before", before);
        boolean present = ctx.str("state").equals("present");
        String wanted = shortFormat ? key.shortId() : key.fingerprint();
        boolean changed = present ? !before.contains(wanted) : before.contains(key.fingerprint());
        if (!changed || ctx.check()) return outcome(changed, r);
        CommandResult done;
        if (present) {
            if (ctx.has("keyserver")) {
                if (!hasAptKey) return TaskOutcome.failed("apt_key: keyserver needs apt-key on the host").withData(r);
                done = importFromKeyserver(ctx, tool, ctx.str("keyserver"), key.keyId());
                if (done.exitCode() != 0) {
                    return failed("Error fetching key " + key.keyId() + " from keyserver: " + ctx.str("keyserver"),
                            done, r);
                }
            } else {
                if (keyBytes == null && url != null) keyBytes = download(ctx, url);
                if (file == null && keyBytes == null) {
                    return TaskOutcome.failed("No key to add ... how did i get here?!?!").withData(r);
                }
                done = tool.run(ctx, tool.addCommand(file), file == null ? keyBytes : null);
                if (done.exitCode() != 0) {
                    return failed(file == null ? "Unable to add a key from binary data"
                            : "Unable to add a key from file " + file, done, r);
                }
            }
        } else {
            done = tool.run(ctx, tool.removeCommand(hasAptKey ? key.shortId() : key.fingerprint()), null);
            if (done.exitCode() != 0) return failed("Unable to remove a key with id " + key.shortId(), done, r);
        }
        listed = tool.run(ctx, tool.listCommand(), null);
        if (listed.exitCode() != 0) return failed("Unable to list public keys", listed, r);
        List<String> after = AptKeyTool.parseKeys(listed.stdout(), shortFormat);
        r.put("after", after);
        if (present != after.contains(present ? wanted : key.fingerprint())) {
            return TaskOutcome.failed(String.format(NOT_DONE, present ? "failed to add the key"
                    : "the key was not removed")).withData(r);
        }
        return outcome(true, r);
    }

    private static CommandResult importFromKeyserver(ModuleContext ctx, AptKeyTool tool, String keyserver,
            String id) throws TransportException {
        String cmd = (tool.keyring() == null ? "apt-key" : "apt-key --keyring " + ShellQuote.quote(tool.keyring()))
                + " adv --no-tty --keyserver " + ShellQuote.quote(keyserver) + " --recv " + ShellQuote.quote(id);
        CommandResult r = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            r = ctx.session().exec("LANG=C LC_ALL=C " + cmd, ctx.timeout());
            if (r.exitCode() == 0) break;
        }
        return r;
    }

    /** The key at {@code url}, fetched on the host (curl, else wget), or null if that failed. */
    private static byte[] download(ModuleContext ctx, String url) throws TransportException {
        String script = "t=$(mktemp) || exit 1; trap 'rm -f \"$t\"' EXIT\n"
                + HostDownload.script(url, !ctx.bool("validate_certs")) + "base64 -w0 \"$t\"";
        CommandResult r = RemoteFiles.sh(ctx, script);
        if (r.exitCode() != 0) return null;
        return Base64.getDecoder().decode(r.stdout().strip());
    }

    private static TaskOutcome outcome(boolean changed, Map<String, Object> r) {
        return (changed ? TaskOutcome.changed("") : TaskOutcome.ok("")).withData(r);
    }

    private static TaskOutcome failed(String msg, CommandResult c, Map<String, Object> r) {
        String err = AptKeyTool.stderrOf(c);
        return FailedCommand.outcome(msg + (err.isEmpty() ? "" : ": " + err), c).withData(r);
    }
}
