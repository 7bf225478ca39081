package dev.fleet.result;

/** The status of one task on one host, as Ansible's recap counts them. */
public enum TaskStatus {
    OK, CHANGED, FAILED, SKIPPED, UNREACHABLE;

    public String label() {
        return name().toLowerCase();
    }
}
