package dev.fleet.template;

/** A filter, test or method refused its input; the message says why, Ansible-style. */
final class FilterFailure extends RuntimeException {
    FilterFailure(String message) {
        super(message, null, false, false);
    }
}
