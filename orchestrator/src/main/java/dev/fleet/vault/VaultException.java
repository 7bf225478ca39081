package dev.fleet.vault;

/**
 * A vault operation that failed: no secret, a wrong password, tampered or malformed vault text, a password source
 * that could not be read. The message names the file (and vault id) and says what to do; it never holds a password
 * or any plaintext, so it is safe to print and to log.
 */
public class VaultException extends Exception {
    private final String problem;

    public VaultException(String message) {
        super(message);
        this.problem = message;
    }

    /** A problem with {@code source} (a file name, "stdin", a YAML position): the message is "source: problem". */
    public VaultException(String source, String problem) {
        super(source + ": " + problem);
        this.problem = problem;
    }

    /** The message without the source, for callers that name the source their own way. */
    public String problem() {
        return problem;
    }

}
