package dev.fleet.modules;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** A loopback HTTP server for modules that fetch URLs (apt_key, deb822_repository), so no test leaves the machine. */
final class LoopbackHttp {
    private LoopbackHttp() {
    }

    /** Answers {@code path} (and any path it prefixes) with {@code body}; the caller stops the server. */
    static HttpServer serve(String path, byte[] body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(path, ex -> {
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        return server;
    }
}
