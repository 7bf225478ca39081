package dev.fleet.modules;

import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code user} module's {@code generate_ssh_key}: an ssh-keygen key pair at {@code ssh_key_file} (relative to
 * the home directory; default {@code .ssh/id_<type>}), made only when missing, or again with {@code force}, and
 * owned by the user; and the result keys Ansible adds: {@code ssh_fingerprint}, {@code ssh_key_file},
 * {@code ssh_public_key}. The passphrase travels on the command's standard input, never in its command line.
 */
final class UserSshKey {
    private UserSshKey() {}

    /** What generating (or finding) the key did. */
    record Outcome(boolean changed, String error, Map<String, Object> data) {}

    static Outcome ensure(ModuleContext ctx, UserAccount account, boolean force) throws TransportException {
        String type = ctx.str("ssh_key_type");
        String file = ctx.has("ssh_key_file") ? ctx.str("ssh_key_file") : ".ssh/id_" + type;
        String path = file.startsWith("/") ? file : account.home() + "/" + file;
        String owner = account.uid() + ":" + account.gid();
        StringBuilder keygen = new StringBuilder("ssh-keygen -t ").append(ShellQuote.quote(type));
        if (ctx.integer("ssh_key_bits") > 0) keygen.append(" -b ").append(ctx.integer("ssh_key_bits"));
        keygen.append(" -C ");
        keygen.append(ctx.has("ssh_key_comment") ? ShellQuote.quote(ctx.str("ssh_key_comment"))
                : "\"ansible-generated on $(hostname)\"");
        keygen.append(" -f \"$f\" -N \"$p\" >/dev/null");
        String script = "f=" + ShellQuote.quote(path) + "; d=$(dirname -- \"$f\")\n"
                + (file.startsWith("/") ? "" : "if [ ! -e " + ShellQuote.quote(account.home()) + " ]; then"
                        + (ctx.check() ? " echo check; exit 0" : " echo 'User " + account.name().replace("'", "")
                        + " home directory does not exist' >&2; exit 1") + "; fi\n")
                + "if [ ! -e \"$d\" ]; then\n"
                + (ctx.check() ? "  echo check; exit 0\n"
                        : "  mkdir -m 0700 -- \"$d\" && chown " + owner + " \"$d\""
                        + " || { echo \"Failed to create $d\" >&2; exit 1; }\n")
                + "fi\n"
                + "if [ -e \"$f\" ] && [ " + (force ? 1 : 0) + " = 0 ]; then echo exists\n"
                + (ctx.check() ? "else echo check\n"
                        : "else IFS= read -r p || true\n"
                        + "  if [ -e \"$f\" ]; then printf 'y\\n' | " + keygen + "; else " + keygen + " </dev/null; fi"
                        + " || exit 1\n"
                        + "  chown " + owner + " \"$f\" \"$f.pub\"; echo generated\n")
                + "fi\n"
                + "if [ -e \"$f\" ]; then ssh-keygen -l -f \"$f\" 2>&1 | sed 's/^/F:/'; fi\n"
                + "if [ -r \"$f.pub\" ]; then sed 's/^/K:/' \"$f.pub\"; fi\n";
        String passphrase = ctx.has("ssh_key_passphrase") ? ctx.str("ssh_key_passphrase") : "";
        CommandResult r = RemoteFiles.sh(ctx, script, (passphrase + "\n").getBytes(StandardCharsets.UTF_8));
        if (r.exitCode() != 0) return new Outcome(false, r.stderr().strip(), Map.of());
        String status = r.stdout().lines().findFirst().orElse("");
        StringBuilder fingerprint = new StringBuilder();
        StringBuilder publicKey = new StringBuilder();
        for (String line : r.stdout().split("\n")) {
            if (line.startsWith("F:")) fingerprint.append(fingerprint.isEmpty() ? "" : "\n").append(line.substring(2));
            if (line.startsWith("K:")) publicKey.append(publicKey.isEmpty() ? "" : "\n").append(line.substring(2));
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("ssh_fingerprint", fingerprint.toString().strip());
        data.put("ssh_key_file", path);
        // Ansible's None when there is no public key: a result cannot hold null, so the key is left out.
        if (!publicKey.isEmpty()) data.put("ssh_public_key", publicKey.toString().strip());
        return new Outcome(status.equals("generated") || status.equals("check"), null, data);
    }
}
