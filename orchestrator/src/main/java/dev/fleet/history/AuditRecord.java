package dev.fleet.history;

import java.time.Instant;

/**
 * One line of the audit trail of {@code fleet serve}: who (the token's name, never the token; null when the
 * request carried no valid token) did what, to which run or schedule, from where, and how it ended.
 *
 * @param action   what was asked, e.g. {@code run.start}, {@code run.cancel}, {@code schedule.run}
 * @param runId    the run acted on or started; null if none
 * @param schedule the schedule fired; null if none
 * @param client   the client's IP address as the server saw it
 * @param status   the HTTP status of the answer; 0 if the client hung up before it
 * @param outcome  {@code ok}, or why it was refused or failed
 */
public record AuditRecord(Instant at, String token, String action, String runId, String schedule, String client,
        int status, String outcome) {}
