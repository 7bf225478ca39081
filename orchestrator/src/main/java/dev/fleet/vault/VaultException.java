package dev.fleet.vault;

/**
 * A vault operation that failed: no secret, a wrong password, tampered or malformed vault text, a password source
 * that could not be read. The message names the file (and vault id) and says what to do; it never holds a password
 * or any plaintext, so it is safe to print and to log.
 */
public class VaultException extends Exception {
    public VaultException(String message) {
        super(message);
    }

    public VaultException(String message, Throwable cause) {
        super(message, cause);
    }
}
