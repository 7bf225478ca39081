package dev.fleet.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What tasks set on one host, as {@code hostvars} layers it over the host's inventory variables: what
 * {@code include_vars} loaded ({@code included}, ranked below) and its facts, {@code set_fact} values and registered
 * results ({@code facts}). In a clustered run this is what travels between the coordinator's copy of a host and the
 * workers: a whole host's when a worker asks for one it does not run, only what one task added in a
 * {@link RemoteReply#updates}. Values may be null (a variable set to null); registered values may hold secrets, so
 * they are never logged.
 */
public record HostFacts(Map<String, Object> included, Map<String, Object> facts) {
    public static final HostFacts EMPTY = new HostFacts(Map.of(), Map.of());

    public HostFacts {
        included = Collections.unmodifiableMap(new LinkedHashMap<>(included));
        facts = Collections.unmodifiableMap(new LinkedHashMap<>(facts));
    }

    /** A copy of what {@code host} holds now; safe while its task adds more. */
    static HostFacts of(HostState host) {
        return new HostFacts(host.includedVarsSnapshot(), host.factsSnapshot());
    }

    boolean isEmpty() {
        return included.isEmpty() && facts.isEmpty();
    }
}
