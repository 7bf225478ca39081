package dev.fleet.serve;

import static dev.fleet.serve.ServeConfig.keys;
import static dev.fleet.serve.ServeConfig.mapping;
import static dev.fleet.serve.ServeConfig.ordered;
import static dev.fleet.serve.ServeConfig.string;

import dev.fleet.yaml.ParseException;
import dev.fleet.yaml.YamlNode;
import dev.fleet.yaml.YamlNode.Mapping;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/** The {@code listen:} checks of the serve config: the TLS files, and which hosts may go without TLS. */
final class ListenChecks {
    private ListenChecks() {}

    static ServeConfig.Tls tls(YamlNode n, Path base) throws ParseException {
        Mapping m = mapping(n, "listen.tls");
        keys(m, ordered("cert", "key"), "listen.tls");
        for (String required : List.of("cert", "key")) {
            if (!m.has(required)) throw new ParseException(m.position(), "listen.tls is missing '" + required
                    + "'; it needs cert and key, both PEM files");
        }
        Path cert = pemFile(m.get("cert"), "listen.tls.cert", "CERTIFICATE", base);
        Path key = pemFile(m.get("key"), "listen.tls.key", "PRIVATE KEY", base);
        return new ServeConfig.Tls(cert, key);
    }

    /** A readable file holding a PEM block whose label ends with {@code label}; checked now, not at listen. */
    private static Path pemFile(YamlNode n, String what, String label, Path base) throws ParseException {
        Path p = base.resolve(string(n, what)).normalize();
        String text;
        try {
            text = Files.readString(p, StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            throw new ParseException(n.position(), what + ": cannot read " + p + " (" + e.getClass().getSimpleName()
                    + ")");
        }
        if (!Pattern.compile("-----BEGIN [A-Z ]*" + label + "-----").matcher(text).find()) {
            throw new ParseException(n.position(), what + ": " + p + " holds no PEM '" + label + "' block; "
                    + "see the README for making one with openssl");
        }
        if (text.contains("ENCRYPTED")) throw new ParseException(n.position(), what + ": " + p + " is encrypted; "
                + "fleet serve needs it unencrypted (openssl pkey -in " + p + " -out plain.key), readable only by "
                + "the service user");
        return p;
    }

    /** A literal loopback address or {@code localhost}; any other name counts as reachable from outside. */
    static boolean isLoopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) return true;
        if (!h.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) return false; // a name: no DNS lookup here
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
