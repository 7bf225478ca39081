package dev.fleet.serve;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A raw-socket HTTP/1.1 client for the event stream, so a test decides how fast (or whether) it reads: a small
 * receive buffer makes a client that stops reading fill up quickly. {@link #readAll} de-chunks the body and parses
 * the events.
 */
final class SseClient implements AutoCloseable {
    /** One parsed event: its id (-1 when it has none), type and data line. */
    record Event(int id, String type, String data) {}

    final Socket socket = new Socket();
    private InputStream in;
    private int status;

    /** Connects with a receive buffer of {@code receiveBuffer} bytes and sends the GET; reads nothing yet. */
    SseClient(int port, String path, String token, int receiveBuffer) throws IOException {
        socket.setReceiveBufferSize(receiveBuffer); // before connect, so the window is small from the start
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** The response's status code; reads the head of the response. */
    int status() throws IOException {
        if (status != 0) return status;
        String statusLine = line(in());
        while (!line(in()).isEmpty()) {
            // headers: not needed
        }
        String[] parts = statusLine.split(" ");
        status = parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
        return status;
    }

    /**
     * Reads the (chunked) body to its end and returns its events. A connection that the server drops ends the
     * list early: then it has no {@code end} event.
     */
    List<Event> readAll(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        InputStream in = in();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            status();
            while (true) {
                String size = line(in);
                if (size.isEmpty()) break;
                int n = Integer.parseInt(size.strip(), 16);
                if (n == 0) break;
                byte[] chunk = in.readNBytes(n);
                body.write(chunk);
                if (chunk.length < n) break;
                line(in);
            }
        } catch (java.net.SocketException e) {
            // reset by the server: what was read so far is the stream
        }
        return parse(body.toString(StandardCharsets.UTF_8));
    }

    static List<Event> parse(String text) {
        List<Event> events = new ArrayList<>();
        int id = -1;
        String type = null;
        for (String l : text.split("\n")) {
            if (l.startsWith("id: ")) id = Integer.parseInt(l.substring(4));
            else if (l.startsWith("event: ")) type = l.substring(7);
            else if (l.startsWith("data: ") && type != null) {
                events.add(new Event(id, type, l.substring(6)));
                id = -1;
                type = null;
            }
        }
        return events;
    }

    private InputStream in() throws IOException {
        if (in == null) in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        return in;
    }

    /** One CRLF-terminated line; empty at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) >= 0; ) {
            if (c == '\n') return b.toString().replace("\r", "");
            b.append((char) c);
        }
        return b.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
