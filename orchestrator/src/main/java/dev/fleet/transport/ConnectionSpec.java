package dev.fleet.transport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How to reach one host: inventory name, network address, port, login user and private keys to offer
 * (explicit ones first; the transport adds {@code ~/.ssh/id_*} defaults and the ssh-agent).
 */
public record ConnectionSpec(String host, String address, int port, String user, List<Path> privateKeys,
        Duration connectTimeout) {
    public ConnectionSpec {
        privateKeys = List.copyOf(privateKeys);
    }
}
