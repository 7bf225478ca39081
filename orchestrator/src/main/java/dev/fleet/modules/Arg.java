package dev.fleet.modules;

import java.util.List;

/**
 * One declared module argument, as an entry of Ansible's {@code argument_spec}. Built with a factory per type and
 * refined with the {@code with}-style methods, e.g.
 * {@code Arg.str("state").choices("present", "absent").defaultsTo("present")}.
 *
 * @param name         the canonical name, the one the module reads
 * @param type         what the value is converted to before the module sees it
 * @param isRequired   the task must give it (under its name or an alias)
 * @param defaultValue the value when the task does not give it, already of {@code type}; null for none
 * @param choices      the allowed values (after conversion); empty for any
 * @param aliases      other names a task may use; the module sees only {@code name}
 * @param isNoLog      the value is a secret (passwords): never shown in messages
 */
public record Arg(String name, ArgType type, boolean isRequired, Object defaultValue, List<Object> choices,
        List<String> aliases, boolean isNoLog) {

    public Arg {
        choices = List.copyOf(choices);
        aliases = List.copyOf(aliases);
        if (isRequired && defaultValue != null) {
            throw new IllegalArgumentException("argument '" + name + "' cannot be both required and defaulted");
        }
    }

    public static Arg of(String name, ArgType type) {
        return new Arg(name, type, false, null, List.of(), List.of(), false);
    }

    public static Arg str(String name) {
        return of(name, ArgType.STR);
    }

    public static Arg bool(String name) {
        return of(name, ArgType.BOOL);
    }

    public static Arg integer(String name) {
        return of(name, ArgType.INT);
    }

    public static Arg decimal(String name) {
        return of(name, ArgType.FLOAT);
    }

    public static Arg path(String name) {
        return of(name, ArgType.PATH);
    }

    /** A list whose items are each converted to {@code elements}. */
    public static Arg list(String name, ArgType elements) {
        return of(name, ArgType.listOf(elements));
    }

    public static Arg dict(String name) {
        return of(name, ArgType.DICT);
    }

    public static Arg raw(String name) {
        return of(name, ArgType.RAW);
    }

    public Arg required() {
        return new Arg(name, type, true, defaultValue, choices, aliases, isNoLog);
    }

    public Arg defaultsTo(Object value) {
        return new Arg(name, type, isRequired, value, choices, aliases, isNoLog);
    }

    public Arg choices(Object... allowed) {
        return new Arg(name, type, isRequired, defaultValue, List.of(allowed), aliases, isNoLog);
    }

    public Arg aliases(String... names) {
        return new Arg(name, type, isRequired, defaultValue, choices, List.of(names), isNoLog);
    }

    public Arg noLog() {
        return new Arg(name, type, isRequired, defaultValue, choices, aliases, true);
    }
}
