package dev.fleet.serve;

import dev.fleet.history.AuditRecord;
import dev.fleet.history.RunStore;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.SocketAddress;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The audit trail of the API: one line per action that changes something (start, cancel, fire a schedule),
 * whatever its outcome, and per request refused for its token or method (401, 403, 405), to the service log and
 * to the history's {@code audit} table. Successful reads are left out: the dashboard polls them every few seconds.
 * A line names the token by its name; the token itself, and the query string (which may carry the SSE
 * {@code access_token}), are never written.
 */
final class AuditLog {
    private static final String RUN_URL = RunJson.url("");

    private final RunStore store;
    private final Consumer<String> log;

    AuditLog(RunStore store, Consumer<String> log) {
        this.store = store;
        this.log = log;
    }

    /** What is known of one API request while it is answered; written once the answer is out. */
    static final class Entry {
        private final String action;
        private final boolean mutating;
        private final Map<String, String> params;
        private String token;
        private String refusal;
        private boolean written;

        private Entry(String action, boolean mutating, Map<String, String> params) {
            this.action = action;
            this.mutating = mutating;
            this.params = params;
        }

        void caller(String tokenName) {
            this.token = tokenName;
        }

        /** Why the request was refused before its handler ran (it is answered with 401, 403 or 405). */
        void refused(String reason) {
            this.refusal = reason;
        }
    }

    /**
     * Starts following a request to an {@code /api} route.
     *
     * @param action   the route's action, or null for a path matched only with another method
     * @param mutating the route changes something: audited whatever the answer
     */
    Entry follow(HttpServerRequest req, String action, boolean mutating, Map<String, String> params) {
        Entry e = new Entry(action != null ? action : req.method().name() + " " + printable(req.path()), mutating,
                params);
        HttpServerResponse res = req.response();
        // Vert.x calls the end handler also when the client hangs up before its answer; the change may still
        // happen (a run starts), so the line is written then with what is known. The close handler is for
        // safety; the SSE handler replaces it for its stream (a read, not audited).
        res.endHandler(v -> write(e, req, res, !res.ended()));
        res.closeHandler(v -> write(e, req, res, !res.ended()));
        return e;
    }

    private void write(Entry e, HttpServerRequest req, HttpServerResponse res, boolean hungUp) {
        if (e.written) return;
        e.written = true;
        int status = hungUp ? 0 : res.getStatusCode();
        if (!e.mutating && status != 401 && status != 403 && status != 405) return;
        String runId = e.params.get("id");
        String location = res.headers().get(HttpHeaders.LOCATION);
        if (runId == null && location != null && location.startsWith(RUN_URL)) {
            runId = location.substring(RUN_URL.length());
        }
        String outcome = e.refusal != null ? e.refusal : hungUp ? "client hung up before the answer"
                : status < 400 ? "ok" : status < 500 ? "rejected" : "failed";
        SocketAddress remote = req.remoteAddress();
        String client = remote == null ? null : remote.hostAddress();
        AuditRecord r = new AuditRecord(Instant.now(), e.token, e.action, runId, e.params.get("name"), client,
                status, outcome);
        log.accept("audit: token=" + (r.token() == null ? "-" : r.token()) + " action=" + r.action()
                + (r.runId() != null ? " run=" + r.runId() : "") + (r.schedule() != null ? " schedule=" + r.schedule()
                : "") + " client=" + r.client() + " status=" + r.status() + " outcome=" + r.outcome());
        try {
            store.audit(r);
        } catch (RuntimeException ex) {
            log.accept("audit: could not record in the history: " + ex.getMessage());
        }
    }

    /** A client-chosen path as it may go into a log line: printable ASCII, at most 200 characters. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 200; i++) {
            char c = s.charAt(i);
            b.append(c > 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }
}
