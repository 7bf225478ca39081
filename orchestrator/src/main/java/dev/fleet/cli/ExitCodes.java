package dev.fleet.cli;

/** ansible-playbook's exit codes, so CI scripts written for Ansible read fleet the same way. */
final class ExitCodes {
    static final int OK = 0;
    static final int ERROR = 1;
    static final int HOSTS_FAILED = 2;
    static final int HOSTS_UNREACHABLE = 3;
    static final int PARSE_ERROR = 4;
    static final int BAD_OPTIONS = 5;
    static final int INTERRUPTED = 99;

    private ExitCodes() {}
}
