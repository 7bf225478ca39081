package dev.fleet.modules;

import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.util.ArrayList;
import java.util.List;

/**
 * How {@code apt_key} lists, adds and removes keys on a host: with {@code apt-key}, exactly as Ansible 2.14 does,
 * where the host has it; where it does not (it is gone from Ubuntu 24.04 and Debian 13) and a {@code keyring} is
 * named, with {@code gpg} on that keyring file directly, as apt's keyrings are managed now (binary OpenPGP keys in
 * the file apt reads). Every gpg call gets a throw-away home directory, so nothing lands in root's {@code ~/.gnupg}.
 *
 * @param aptKey  the host has apt-key
 * @param keyring the keyring file, or null for apt's own keyrings (apt-key only)
 */
record AptKeyTool(boolean aptKey, String keyring) {
    /** Runs the rest of the script with {@code $G} as gpg with a temporary home, removed on exit. */
    private static final String GPG_HOME = "h=$(mktemp -d) || exit 1; trap 'rm -rf \"$h\"' EXIT; "
            + "G=\"gpg --batch --no-autostart --homedir $h\"; ";

    /** The command whose output {@link #parseKeys} reads. */
    String listCommand() {
        if (aptKey) return aptKeyPrefix() + " adv --list-public-keys --keyid-format=long";
        String k = ShellQuote.quote(keyring);
        return "/bin/sh -c " + ShellQuote.quote(GPG_HOME + "[ ! -e " + k + " ] || [ ! -s " + k + " ] || "
                + "LC_ALL=C $G --with-colons --show-keys " + k);
    }

    /** Adds the key in {@code file}, or on standard input when {@code file} is null. */
    String addCommand(String file) {
        String from = file == null ? "-" : ShellQuote.quote(file);
        if (aptKey) return aptKeyPrefix() + " add " + from;
        String k = ShellQuote.quote(keyring);
        String in = file == null ? "" : " < " + from;
        // Import (armored or binary) into an empty keyring, export it binary and append it to the keyring file.
        return "/bin/sh -c " + ShellQuote.quote(GPG_HOME + "$G --import" + in + " || exit 2; "
                + "$G --export > \"$h/key.gpg\" || exit 3; [ -s \"$h/key.gpg\" ] || exit 4; "
                + "mkdir -p -- \"$(dirname -- " + k + ")\" && { [ -e " + k + " ] || { touch -- " + k
                + " && chmod 0644 -- " + k + "; }; } && cat \"$h/key.gpg\" >> " + k);
    }

    /** Removes the key {@code id}: apt-key with the short id, as Ansible; gpg rewrites the keyring without it. */
    String removeCommand(String id) {
        if (aptKey) return aptKeyPrefix() + " del " + ShellQuote.quote(id);
        String k = ShellQuote.quote(keyring);
        return "/bin/sh -c " + ShellQuote.quote(GPG_HOME + "$G --import < " + k + " || exit 2; "
                + "$G --yes --delete-keys " + ShellQuote.quote(id) + " || exit 3; "
                + "$G --export > \"$h/rest.gpg\" || exit 4; cat \"$h/rest.gpg\" > " + k);
    }

    /** Reads the key ids of an armored or binary key on standard input, or in {@code file}. */
    static String idsCommand(String file) {
        return "/bin/sh -c " + ShellQuote.quote(GPG_HOME + "LC_ALL=C $G --with-colons --show-keys"
                + (file == null ? "" : " " + ShellQuote.quote(file)));
    }

    private String aptKeyPrefix() {
        return "apt-key" + (keyring == null ? "" : " --keyring " + ShellQuote.quote(keyring));
    }

    /**
     * Key ids of the {@code pub} and {@code sub} lines that are not expired, from apt-key's listing
     * ({@code pub   rsa4096/0123456789ABCDEF 2020-01-01 [SC]}) or gpg's colon format
     * ({@code pub:-:255:22:0123456789ABCDEF:...}); with {@code shortFormat}, their last 8 characters.
     */
    static List<String> parseKeys(String out, boolean shortFormat) {
        List<String> found = new ArrayList<>();
        for (String line : out.split("\n", -1)) {
            if (!(line.startsWith("pub") || line.startsWith("sub")) || line.contains("expired")) continue;
            String[] tokens = line.strip().split("\\s+");
            String code = null;
            if (tokens.length > 1 && tokens[1].split("/", -1).length == 2) {
                code = tokens[1].split("/", -1)[1];
            } else {
                String[] fields = line.split(":", -1);
                if (fields.length > 4) code = fields[4];
            }
            if (code != null) found.add(shortFormat && code.length() > 8 ? code.substring(code.length() - 8) : code);
        }
        return found;
    }

    /** The message of a failed command, apt-key's deprecation warning left out. */
    static String stderrOf(CommandResult r) {
        return String.join("\n", r.stderr().lines().filter(l -> !l.startsWith("Warning: apt-key is deprecated"))
                .toList()).strip();
    }

    CommandResult run(ModuleContext ctx, String command, byte[] stdin) throws TransportException {
        return ctx.session().exec(command, stdin, ctx.timeout());
    }
}
