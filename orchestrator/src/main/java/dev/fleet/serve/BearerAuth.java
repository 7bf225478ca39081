package dev.fleet.serve;

import dev.fleet.serve.ApiToken.Scope;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks {@code Authorization: Bearer <token>} against the configured tokens. Only SHA-256 digests are kept, and
 * every one is compared in constant time, so neither the token's length nor which token matched leaks by timing.
 * What a request learns is the token's name and scope ({@link Caller}); the token itself goes no further.
 */
final class BearerAuth {
    /** Who a request was authenticated as. */
    record Caller(String name, Scope scope) {}

    /** The answer to a request: its caller, or why it was refused (401). */
    sealed interface Outcome {}

    record Granted(Caller caller) implements Outcome {}

    record Refused(String reason) implements Outcome {}

    private record Known(byte[] digest, Caller caller) {}

    private final List<Known> known = new ArrayList<>();

    BearerAuth(List<ApiToken> tokens) {
        if (tokens.isEmpty()) throw new IllegalArgumentException("no API token configured; fleet serve "
                + "does not run an unauthenticated API");
        for (ApiToken t : tokens) {
            known.add(new Known(sha256(t.secret().getBytes(StandardCharsets.UTF_8)), new Caller(t.name(), t.scope())));
        }
    }

    /**
     * The caller, or the reason for refusing the request.
     *
     * @param queryAllowed also take {@code ?access_token=}: browsers' EventSource cannot send headers
     */
    Outcome authenticate(HttpServerRequest req, boolean queryAllowed) {
        String token = null;
        String header = req.getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null) {
            if (header.regionMatches(true, 0, "Bearer ", 0, 7)) token = header.substring(7).strip();
            else return new Refused("invalid authorization: expected 'Authorization: Bearer <token>'");
        } else if (queryAllowed) {
            token = req.getParam("access_token");
        }
        if (token == null || token.isEmpty()) {
            return new Refused("missing bearer token (Authorization: Bearer <token>)");
        }
        byte[] given = sha256(token.getBytes(StandardCharsets.UTF_8));
        Caller match = null;
        for (Known k : known) { // every digest is compared, whichever matches
            boolean same = MessageDigest.isEqual(given, k.digest);
            if (same) match = k.caller;
        }
        return match != null ? new Granted(match) : new Refused("invalid token");
    }

    /** The {@code WWW-Authenticate} value answering a refusal for {@code reason}. */
    static String challenge(String reason) {
        return "Bearer realm=\"fleet\"" + (reason.startsWith("invalid") ? ", error=\"invalid_token\"" : "");
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
