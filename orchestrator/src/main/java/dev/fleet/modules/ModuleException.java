package dev.fleet.modules;

/** A module could not do its work for a reason that is the task's fault (bad argument value), not the host's. */
public class ModuleException extends Exception {
    public ModuleException(String message) {
        super(message);
    }
}
