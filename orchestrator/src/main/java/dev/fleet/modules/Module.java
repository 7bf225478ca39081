package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.transport.TransportException;

/**
 * One task module. Implementations are small, stateless and registered in {@link ModuleRegistry}; the engine
 * knows nothing about any one of them. {@code run} is blocking and is called on a virtual thread.
 */
public interface Module {

    /** The canonical name ({@code command}); the {@code ansible.builtin.} alias is added by the registry. */
    String name();

    /** Declared arguments, validated before any host is touched. */
    ArgSpec spec();

    TaskOutcome run(ModuleContext ctx) throws TransportException, ModuleException;
}
