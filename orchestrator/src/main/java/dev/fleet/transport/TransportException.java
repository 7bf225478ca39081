package dev.fleet.transport;

/**
 * SSH-level failure on one host. {@link Kind} says whether the host is unreachable (the run marks it so and
 * goes on with the others) or a single command failed to complete in time.
 */
public class TransportException extends Exception {
    public enum Kind {
        /** TCP connect refused, DNS, handshake or connect timeout, connection lost. */
        UNREACHABLE,
        /** The host key did not match known_hosts, or is unknown under strict checking. */
        HOST_KEY,
        /** No offered key was accepted. */
        AUTH,
        /** A command ran past its timeout and was stopped. */
        COMMAND_TIMEOUT,
        /** A file could not be written or read over SFTP (permissions, missing directory); the host is fine. */
        FILE_TRANSFER
    }

    private final String host;
    private final Kind kind;

    public TransportException(String host, Kind kind, String message) {
        super(message);
        this.host = host;
        this.kind = kind;
    }

    public TransportException(String host, Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.host = host;
        this.kind = kind;
    }

    public String host() {
        return host;
    }

    public Kind kind() {
        return kind;
    }

    /** Whether the host as a whole must be marked unreachable (as opposed to one failed task). */
    public boolean hostLost() {
        return kind != Kind.COMMAND_TIMEOUT && kind != Kind.FILE_TRANSFER;
    }
}
