package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.transport.TransportException;

/**
 * One task module. Implementations are small, stateless and registered in {@link ModuleRegistry}; the engine
 * knows nothing about any one of them. {@code run} is blocking and is called on a virtual thread.
 *
 * <p>Writing a module: declare every argument once in {@link #spec()} (type, default, choices, aliases, and the
 * rules between arguments), and implement {@link #execute}. By the time {@code execute} runs, the arguments have
 * been checked against that spec, so read them with {@link ModuleContext}'s typed getters
 * ({@code ctx.str("path")}, {@code ctx.bool("create")}, {@code ctx.integer("timeout")}, {@code ctx.list("argv")},
 * ...): names are canonical (aliases resolved), defaults applied, values converted; do not parse strings or
 * re-check what the spec says. Literal values were already checked when the playbook was parsed.
 */
public interface Module {

    /** The canonical name ({@code command}); the {@code ansible.builtin.} alias is added by the registry. */
    String name();

    /**
     * The collection the module belongs to in Ansible ({@code community.general} for {@code ini_file}): the
     * registry accepts the module under {@code <collection>.<name>} as well as under its short name (Ansible's
     * built-in routing sends the short names of these few modules to their collections too).
     */
    default String collection() {
        return "ansible.builtin";
    }

    /**
     * Whether the module opens the host's connection itself ({@code wait_for_connection}, {@code reboot}, through
     * {@link dev.fleet.transport.HostSession#reconnect}): then the engine hands it the host's session without
     * connecting first, so a host that cannot be reached yet does not fail the task before the module runs.
     */
    default boolean opensConnection() {
        return false;
    }

    /** Declared arguments: checked at parse time where literal, and always before {@link #execute}. */
    ArgSpec spec();

    /**
     * What the engine calls: checks the (rendered) arguments against {@link #spec()} and runs {@link #execute}
     * with the checked values. An argument error is a {@link ModuleException}, which fails this task only.
     */
    default TaskOutcome run(ModuleContext ctx) throws TransportException, ModuleException {
        return execute(ctx.checked(spec()));
    }

    /** The module's work, on arguments already checked against {@link #spec()}. */
    TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException;
}
