package dev.fleet.serve;

/**
 * One API bearer token from the config. Its {@code name} is what the service log and the audit show; the secret
 * itself never leaves {@link BearerAuth} (which keeps only its digest) and is left out of {@link #toString()}.
 */
public record ApiToken(String name, String secret, Scope scope) {

    /** What a token may do; each scope includes the ones before it. */
    public enum Scope {
        /** GET: runs, their events, schedules. */
        READ,
        /** Also start and cancel runs and fire schedules (POST, DELETE). */
        RUN;

        public boolean allows(Scope needed) {
            return compareTo(needed) >= 0;
        }

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Override
    public String toString() {
        return "ApiToken[name=" + name + ", scope=" + scope.label() + "]";
    }
}
