package dev.fleet.engine;

/**
 * The one table of process exit codes: ansible-playbook's, so CI scripts written for Ansible read fleet the same
 * way. A run's own code comes from {@link RunOutcome#exitCode()}; the CLI adds the ones for bad input.
 */
public final class ExitCodes {
    public static final int OK = 0;
    /** Anything else that went wrong (an internal error, a store that cannot be read). */
    public static final int ERROR = 1;
    public static final int HOSTS_FAILED = 2;
    public static final int HOSTS_UNREACHABLE = 3;
    /** A playbook, inventory or vars file could not be parsed or validated; nothing ran. */
    public static final int PARSE_ERROR = 4;
    /** Bad command-line options, or a run/resource named on the command line that does not exist. */
    public static final int BAD_OPTIONS = 5;
    /** Stopped by SIGINT/SIGTERM or a cancel. */
    public static final int INTERRUPTED = 99;

    private ExitCodes() {}
}
