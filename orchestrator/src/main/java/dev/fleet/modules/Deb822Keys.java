package dev.fleet.modules;

import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;

/**
 * {@code deb822_repository}'s {@code signed_by}: a file on the host is named as it is, a URL is downloaded on the
 * host into {@code /etc/apt/keyrings/<slug>.asc} (armored) or {@code .gpg} (binary), replaced only when its
 * content differs and given mode 0644, and anything else (the key itself) is inlined in the stanza.
 */
final class Deb822Keys {
    private Deb822Keys() {}

    /**
     * @param changed whether the key file was (or in check mode would be) written
     * @param file    the key file named in the stanza, or null for an inlined key
     * @param value   what {@code Signed-By} holds
     */
    record SignedBy(boolean changed, String file, String value) {}

    static String keyFile(String slug, String ext) {
        return Deb822RepositoryModule.KEYRINGS_DIR + "/" + slug + "." + ext;
    }

    static SignedBy place(ModuleContext ctx, String module, String value, String slug, boolean isUrl)
            throws TransportException, RemoteFiles.HostFailure {
        if (value.contains("\n") || (!isUrl && value.length() > 4096)) return new SignedBy(false, null, value);
        String v = ShellQuote.quote(value);
        if (!isUrl) {
            boolean isFile = ctx.session().exec("test -f " + v, ctx.timeout()).exitCode() == 0;
            return isFile ? new SignedBy(false, value, value) : new SignedBy(false, null, value);
        }
        String asc = ShellQuote.quote(keyFile(slug, "asc"));
        String gpg = ShellQuote.quote(keyFile(slug, "gpg"));
        String dir = ShellQuote.quote(Deb822RepositoryModule.KEYRINGS_DIR);
        // Download to a temporary file, pick .asc or .gpg by content, then compare, install and set modes.
        String script = "t=$(mktemp) || exit 1; trap 'rm -f \"$t\"' EXIT\n"
                + HostDownload.script(value, false)
                + "if grep -q -- '-----BEGIN PGP PUBLIC KEY BLOCK-----' \"$t\"; then k=" + asc + "; else k=" + gpg
                + "; fi\necho \"$k\"\n"
                + "if ! cmp -s -- \"$t\" \"$k\"; then echo changed\n"
                + (ctx.check() ? "" : "  mkdir -p -m 0755 -- " + dir + " || exit 4; cp -- \"$t\" \"$k\" || exit 4\n")
                + "fi\n"
                + "if [ -e \"$k\" ] && [ \"$(stat -c %a -- \"$k\")\" != 644 ]; then echo changed; "
                + (ctx.check() ? "" : "chmod 0644 -- \"$k\" || exit 4; ") + "fi\n";
        CommandResult r = RemoteFiles.sh(ctx, script);
        if (r.exitCode() == 3) {
            throw new RemoteFiles.HostFailure("Could not fetch signed_by key: " + value + ": "
                    + RemoteFiles.reason(r.stderr()));
        }
        if (r.exitCode() != 0) {
            throw new RemoteFiles.HostFailure(module + ": cannot write the signed_by key: "
                    + RemoteFiles.reason(r.stderr()));
        }
        String file = r.stdout().lines().findFirst().orElse("").strip();
        return new SignedBy(r.stdout().contains("changed"), file, file);
    }
}
