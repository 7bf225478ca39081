package dev.fleet.lookup;

/** A lookup that cannot give an answer: a missing file, a bad term or option, a failed command. */
public class LookupException extends Exception {
    public LookupException(String message) {
        super(message);
    }

    public LookupException(String message, Throwable cause) {
        super(message, cause);
    }
}
