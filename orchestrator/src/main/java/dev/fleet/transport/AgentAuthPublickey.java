package dev.fleet.transport;

import java.io.IOException;
import java.security.PrivateKey;
import java.security.PublicKey;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.method.AuthPublickey;

/**
 * Public key authentication whose signature comes from ssh-agent. sshj builds the request (including the
 * {@code rsa-sha2-*} algorithm choice and retries); only the signing step is replaced, because the private key never
 * leaves the agent.
 */
final class AgentAuthPublickey extends AuthPublickey {
    private final SshAgentClient agent;
    private final byte[] blob;

    AgentAuthPublickey(SshAgentClient agent, SshAgentClient.Identity identity, PublicKey publicKey) {
        super(new AgentKey(publicKey));
        this.agent = agent;
        this.blob = identity.blob();
    }

    @Override
    protected SSHPacket putSig(SSHPacket reqBuf) throws UserAuthException {
        // RFC 4252 §7: the signed data is the session id followed by the request so far.
        byte[] data = new Buffer.PlainBuffer()
                .putString(params.getTransport().getSessionID())
                .putBuffer(reqBuf)
                .getCompactData();
        try {
            byte[] signature = agent.sign(blob, data, flags(algorithm(reqBuf)));
            reqBuf.putString(signature);
            return reqBuf;
        } catch (IOException e) {
            throw new UserAuthException("ssh-agent could not sign with " + SshKeyFormat.fingerprint(blob) + ": "
                    + e.getMessage(), e);
        }
    }

    /** The public key algorithm sshj put into the request: the agent must sign with the same hash. */
    private static String algorithm(SSHPacket reqBuf) throws UserAuthException {
        try {
            Buffer.PlainBuffer req = new Buffer.PlainBuffer(reqBuf.getCompactData());
            req.readByte(); // SSH_MSG_USERAUTH_REQUEST
            req.readString(); // user
            req.readString(); // service
            req.readString(); // "publickey"
            req.readBoolean(); // has signature
            return req.readString();
        } catch (Buffer.BufferException e) {
            throw new UserAuthException("malformed publickey request", e);
        }
    }

    private static int flags(String algorithm) {
        return switch (algorithm) {
            case "rsa-sha2-256" -> SshAgentClient.SSH_AGENT_RSA_SHA2_256;
            case "rsa-sha2-512" -> SshAgentClient.SSH_AGENT_RSA_SHA2_512;
            default -> 0;
        };
    }

    /** Carries the public half only; sshj never asks for the private half because putSig is overridden. */
    private record AgentKey(PublicKey publicKey) implements KeyProvider {
        @Override
        public PrivateKey getPrivate() throws IOException {
            throw new IOException("the private key of an ssh-agent identity is not available to fleet");
        }

        @Override
        public PublicKey getPublic() {
            return publicKey;
        }

        @Override
        public KeyType getType() {
            return KeyType.fromKey(publicKey);
        }
    }
}
