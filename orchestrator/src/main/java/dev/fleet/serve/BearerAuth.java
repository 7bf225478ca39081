package dev.fleet.serve;

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
 */
final class BearerAuth {
    private final List<byte[]> tokenDigests = new ArrayList<>();

    BearerAuth(List<String> tokens) {
        if (tokens.isEmpty()) throw new IllegalArgumentException("no API token configured; fleet serve "
                + "does not run an unauthenticated API");
        for (String t : tokens) tokenDigests.add(sha256(t.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Null when authorised, else the reason.
     *
     * @param queryAllowed also take {@code ?access_token=}: browsers' EventSource cannot send headers
     */
    String authenticate(HttpServerRequest req, boolean queryAllowed) {
        String token = null;
        String header = req.getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null) {
            if (header.regionMatches(true, 0, "Bearer ", 0, 7)) token = header.substring(7).strip();
            else return "invalid authorization: expected 'Authorization: Bearer <token>'";
        } else if (queryAllowed) {
            token = req.getParam("access_token");
        }
        if (token == null || token.isEmpty()) return "missing bearer token (Authorization: Bearer <token>)";
        byte[] given = sha256(token.getBytes(StandardCharsets.UTF_8));
        boolean ok = false;
        for (byte[] t : tokenDigests) ok |= MessageDigest.isEqual(given, t);
        return ok ? null : "invalid token";
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
