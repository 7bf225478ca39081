package dev.fleet.transport;

/** OpenSSH's StrictHostKeyChecking modes. */
public enum HostKeyChecking {
    /** Unknown and changed keys are refused. The default. */
    STRICT,
    /** Unknown keys are appended to known_hosts; changed keys are refused. */
    ACCEPT_NEW,
    /** Nothing is checked. For throwaway labs only. */
    OFF;

    public static HostKeyChecking parse(String s) {
        return switch (s.toLowerCase().replace('_', '-')) {
            case "strict", "yes", "true" -> STRICT;
            case "accept-new" -> ACCEPT_NEW;
            case "off", "no", "false" -> OFF;
            default -> throw new IllegalArgumentException(
                    "unknown host key checking mode '" + s + "'; expected strict, accept-new or off");
        };
    }
}
