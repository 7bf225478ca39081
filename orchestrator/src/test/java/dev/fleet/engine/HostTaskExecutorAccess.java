package dev.fleet.engine;

import java.util.Map;

/** Lets tests in other packages reach the executor's package-private parsing helpers. */
public final class HostTaskExecutorAccess {
    private HostTaskExecutorAccess() {}

    public static String jumpHost(Map<String, Object> vars) {
        return ConnectionSpecs.jumpHost(vars);
    }
}
