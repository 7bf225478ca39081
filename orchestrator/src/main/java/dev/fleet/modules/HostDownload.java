package dev.fleet.modules;

import dev.fleet.shell.ShellQuote;

/** Downloading a file on the host itself (as Ansible's modules fetch URLs there): curl, else wget. */
final class HostDownload {
    private HostDownload() {}

    /**
     * A shell fragment that downloads {@code url} into the file named by {@code $t} on the host, with curl, else
     * wget, and exits 3 when that fails; {@code insecure} skips certificate checks ({@code validate_certs: false}).
     */
    static String script(String url, boolean insecure) {
        String u = ShellQuote.quote(url);
        return "if command -v curl >/dev/null; then curl -fsSL -A ansible-httpget" + (insecure ? " -k" : "")
                + " -o \"$t\" -- " + u + " || exit 3; else wget -q -U ansible-httpget"
                + (insecure ? " --no-check-certificate" : "") + " -O \"$t\" -- " + u + " || exit 3; fi\n";
    }
}
