package dev.fleet.playbook;

import dev.fleet.yaml.ParseException;
import dev.fleet.yaml.SourcePosition;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the playbook parser needs to know about modules, so that a playbook is fully validated before any
 * host is touched without the parser depending on the modules themselves.
 */
public interface ModuleCatalog {

    /** The canonical module name for a task key ({@code ansible.builtin.shell} → {@code shell}), if known. */
    Optional<String> canonicalName(String key);

    /** All canonical names, for "expected one of" messages. */
    Set<String> names();

    /**
     * Normalises a task's module arguments (free-form text, {@code args:} mapping) into one map and, with
     * {@code checkValues}, checks them against the module's argument spec as far as they are literal: names,
     * required ones, types, choices, exclusivity. Templated values are checked when the task runs.
     *
     * @param raw         the value under the module key: a string (free form), a mapping, or null
     * @param extraArgs   the task's {@code args:} mapping, or an empty map
     * @param checkValues false for a task written to expect failure (see {@link PlaybookParser}): its argument
     *                    errors are left to run time, where they fail the task and its rescue or
     *                    {@code ignore_errors} handles them, as in Ansible. Malformed free-form text is an error
     *                    either way.
     */
    Map<String, Object> normalizeArgs(String module, Object raw, Map<String, Object> extraArgs, SourcePosition at,
            boolean checkValues) throws ParseException;
}
