package dev.fleet.history;

/** The run history database could not be opened, read or written. */
public class RunStoreException extends RuntimeException {
    public RunStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public RunStoreException(String message) {
        super(message);
    }
}
