package dev.fleet.transport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How to reach one host: inventory name, network address, port, login user and private keys to offer
 * (explicit ones first; the transport adds {@code ~/.ssh/id_*} defaults and the ssh-agent).
 *
 * @param jump the jump host to tunnel through (OpenSSH's ProxyJump), or null for a direct connection
 */
public record ConnectionSpec(String host, String address, int port, String user, List<Path> privateKeys,
        Duration connectTimeout, ConnectionSpec jump) {
    public ConnectionSpec {
        privateKeys = List.copyOf(privateKeys);
    }

    public ConnectionSpec(String host, String address, int port, String user, List<Path> privateKeys,
            Duration connectTimeout) {
        this(host, address, port, user, privateKeys, connectTimeout, null);
    }

    /**
     * The jump host named the way OpenSSH's {@code -J} takes it, {@code [user@]host[:port]}; it logs in with
     * this spec's keys and, unless it names one, this spec's user.
     */
    public ConnectionSpec via(String jumpSpec) {
        String rest = jumpSpec.strip();
        String jumpUser = user;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            jumpUser = rest.substring(0, at);
            rest = rest.substring(at + 1);
        }
        int jumpPort = 22;
        int colon = rest.lastIndexOf(':');
        if (colon > 0 && rest.indexOf(':') == colon && rest.substring(colon + 1).matches("\\d{1,5}")) {
            jumpPort = Integer.parseInt(rest.substring(colon + 1));
            rest = rest.substring(0, colon);
        }
        if (rest.startsWith("[") && rest.endsWith("]")) rest = rest.substring(1, rest.length() - 1);
        ConnectionSpec j = new ConnectionSpec("jump host " + rest + " for " + host, rest, jumpPort, jumpUser,
                privateKeys, connectTimeout, null);
        return new ConnectionSpec(host, address, port, user, privateKeys, connectTimeout, j);
    }
}
