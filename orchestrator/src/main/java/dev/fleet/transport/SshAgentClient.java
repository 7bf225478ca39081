package dev.fleet.transport;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Minimal ssh-agent client (draft-miller-ssh-agent): lists identities and asks the agent to sign. sshj has no
 * agent support. Each call opens its own connection to the socket, so the client is stateless and thread-safe;
 * the blocking channel IO does not pin virtual threads.
 */
final class SshAgentClient {
    private static final byte SSH_AGENT_FAILURE = 5;
    private static final byte SSH2_AGENTC_REQUEST_IDENTITIES = 11;
    private static final byte SSH2_AGENT_IDENTITIES_ANSWER = 12;
    private static final byte SSH2_AGENTC_SIGN_REQUEST = 13;
    private static final byte SSH2_AGENT_SIGN_RESPONSE = 14;
    /** Sign flags for RSA keys: which hash the agent must use (ssh-rsa, i.e. SHA-1, is 0). */
    static final int SSH_AGENT_RSA_SHA2_256 = 2;
    static final int SSH_AGENT_RSA_SHA2_512 = 4;
    /** Agents answer in a few KiB; anything larger is a confused peer, not an agent. */
    private static final int MAX_MESSAGE = 256 * 1024;

    /** One key held by the agent: its public key blob and the comment it was added with. */
    record Identity(byte[] blob, String comment) {}

    private final Path socket;

    SshAgentClient(Path socket) {
        this.socket = socket;
    }

    Path socket() {
        return socket;
    }

    List<Identity> identities() throws IOException {
        ByteBuffer reply = call(new byte[] {SSH2_AGENTC_REQUEST_IDENTITIES}, SSH2_AGENT_IDENTITIES_ANSWER);
        int count = reply.getInt();
        List<Identity> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] blob = string(reply);
            String comment = new String(string(reply), StandardCharsets.UTF_8);
            ids.add(new Identity(blob, comment));
        }
        return ids;
    }

    /** Returns the signature blob (string algorithm, string signature) exactly as it goes into the auth request. */
    byte[] sign(byte[] keyBlob, byte[] data, int flags) throws IOException {
        ByteBuffer req = ByteBuffer.allocate(1 + 4 + keyBlob.length + 4 + data.length + 4);
        req.put(SSH2_AGENTC_SIGN_REQUEST).putInt(keyBlob.length).put(keyBlob).putInt(data.length).put(data)
                .putInt(flags);
        return string(call(req.array(), SSH2_AGENT_SIGN_RESPONSE));
    }

    private ByteBuffer call(byte[] request, byte expected) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer out = ByteBuffer.allocate(4 + request.length).putInt(request.length).put(request).flip();
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ByteBuffer len = readFully(ch, 4);
            int n = len.getInt();
            if (n <= 0 || n > MAX_MESSAGE) {
                throw new IOException("ssh-agent at " + socket + " sent a malformed reply (length " + n + ")");
            }
            ByteBuffer body = readFully(ch, n);
            byte type = body.get();
            if (type == SSH_AGENT_FAILURE) {
                throw new IOException("ssh-agent at " + socket + " refused the request");
            }
            if (type != expected) {
                throw new IOException("ssh-agent at " + socket + " answered with message " + type + ", expected "
                        + expected);
            }
            return body;
        }
    }

    private static ByteBuffer readFully(SocketChannel ch, int n) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(n);
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
                throw new EOFException("ssh-agent closed the connection mid-reply");
            }
        }
        return buf.flip();
    }

    private static byte[] string(ByteBuffer buf) throws IOException {
        int n = buf.getInt();
        if (n < 0 || n > buf.remaining()) {
            throw new IOException("malformed ssh-agent reply (string of " + n + " bytes, " + buf.remaining()
                    + " left)");
        }
        byte[] b = new byte[n];
        buf.get(b);
        return b;
    }
}
