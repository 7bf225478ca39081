package dev.fleet.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The one place strategies are registered, by the name a play's {@code strategy:} keyword uses. */
public final class Strategies {
    private static final Map<String, Strategy> BY_NAME = new LinkedHashMap<>();

    static {
        for (Strategy s : List.of(new LinearStrategy(), new FreeStrategy(), new HostPinnedStrategy())) {
            BY_NAME.put(s.name(), s);
        }
    }

    private Strategies() {}

    /** Every strategy name, for validating playbooks and for "expected one of" messages. */
    public static Set<String> names() {
        return BY_NAME.keySet();
    }

    static Optional<Strategy> find(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }
}
