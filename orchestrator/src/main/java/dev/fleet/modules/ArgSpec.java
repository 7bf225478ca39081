package dev.fleet.modules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The arguments a module declares, once, as Ansible's {@code argument_spec}: each {@link Arg} with its type,
 * default, choices and aliases, plus the {@link ArgRule}s between them. The spec is checked twice: when the
 * playbook is parsed, for every value written literally ({@link #checkLiterals}), and before the module runs, on
 * the rendered values ({@link #check}), which also hands the module its arguments by canonical name, converted,
 * with defaults: the module itself never parses or re-checks them.
 *
 * <pre>{@code
 * ArgSpec.builder()
 *         .add(Arg.path("path").required().aliases("dest", "name"),
 *              Arg.str("state").choices("present", "absent").defaultsTo("present"),
 *              Arg.str("insertafter"), Arg.str("insertbefore"), Arg.bool("create").defaultsTo(false))
 *         .mutuallyExclusive("insertafter", "insertbefore")
 *         .requiredIf("state", "present", "line")
 *         .build();
 * }</pre>
 */
public final class ArgSpec {
    /**
     * The only keys taken out of {@code command}/{@code shell} free-form text, as Ansible does: in
     * {@code command: echo a=b chdir=/tmp}, {@code a=b} stays part of the command.
     */
    static final Set<String> FREE_FORM_KEYS = Set.of("creates", "removes", "chdir", "executable", "warn", "stdin",
            "stdin_add_newline", "strip_empty_ends");

    /** Ansible's name for free-form text; a module with free form gets it under {@link #freeForm()} instead. */
    static final String RAW_PARAMS = "_raw_params";

    private final String freeForm;
    private final Map<String, Arg> args;
    private final Map<String, String> names; // every accepted name (canonical and alias) -> canonical
    private final boolean anyName;
    private final List<ArgRule> rules;

    private ArgSpec(String freeForm, List<Arg> args, boolean anyName, List<ArgRule> rules) {
        this.freeForm = freeForm;
        this.anyName = anyName;
        this.rules = List.copyOf(rules);
        this.args = new LinkedHashMap<>();
        this.names = new LinkedHashMap<>();
        for (Arg a : args) {
            declare(a.name(), a.name());
            this.args.put(a.name(), a);
        }
        for (Arg a : args) {
            for (String alias : a.aliases()) declare(alias, a.name());
        }
        ArgCheck.sanity(this);
    }

    private void declare(String name, String canonical) {
        if (names.putIfAbsent(name, canonical) != null) {
            throw new IllegalStateException("argument name '" + name + "' is declared twice");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A module without arguments. */
    public static ArgSpec none() {
        return builder().build();
    }

    /** The argument that holds free-form text ({@code cmd} for {@code command: ls -l}), or null if none. */
    public String freeForm() {
        return freeForm;
    }

    /** Declared arguments by canonical name, in declaration order. */
    public Map<String, Arg> args() {
        return java.util.Collections.unmodifiableMap(args);
    }

    public List<ArgRule> rules() {
        return rules;
    }

    /** Whether undeclared names are accepted too (as {@code set_fact}'s variables), passed on unchecked. */
    public boolean anyName() {
        return anyName;
    }

    /**
     * Turns the value under the module key (free-form text, a mapping, or null) plus the task's {@code args:} into
     * one map of raw arguments, unchecked: names as written, values as written.
     */
    public Map<String, Object> collect(Object raw, Map<String, Object> extra) throws ModuleException {
        Map<String, Object> out = new LinkedHashMap<>();
        if (raw instanceof String text) {
            KeyValueSplitter.Parsed p;
            try {
                p = KeyValueSplitter.parse(text, freeForm == null ? null : FREE_FORM_KEYS);
            } catch (KeyValueSplitter.Unbalanced e) {
                throw new ModuleException(e.getMessage());
            }
            out.putAll(p.options());
            // Free-form text given to a module without free form stays under _raw_params, which the check refuses
            // (at parse time, or at run time for a task that expects failure), as Ansible does.
            if (p.rawParams() != null && !p.rawParams().isBlank()) out.put(RAW_PARAMS, p.rawParams());
        } else if (raw instanceof Map<?, ?> map) {
            map.forEach((k, v) -> out.put(String.valueOf(k), v));
        } else if (raw != null) {
            out.put(RAW_PARAMS, String.valueOf(raw));
        }
        out.putAll(extra);
        if (freeForm != null && out.containsKey(RAW_PARAMS)) out.put(freeForm, out.remove(RAW_PARAMS));
        return out;
    }

    /**
     * Checks rendered arguments and returns what the module reads: canonical names, converted values, defaults
     * applied, nulls dropped.
     *
     * @throws ModuleException naming the argument, what was wrong and what is accepted
     */
    public Map<String, Object> check(Map<String, Object> given) throws ModuleException {
        return ArgCheck.run(this, given, false);
    }

    /**
     * The parse-time check: as {@link #check}, but a value that is still a template ({@code {{ }}} or
     * {@code {% %}}) is not converted, and no rule that depends on such a value is applied: those wait for
     * {@link #check} at run time. Unknown names, missing required arguments and exclusivity are checked in full.
     */
    public void checkLiterals(Map<String, Object> given) throws ModuleException {
        ArgCheck.run(this, given, true);
    }

    /** The canonical name for a name or alias, or null if undeclared. */
    String canonical(String name) {
        return names.get(name);
    }

    /** Accepted names for messages: {@code [path (dest, name), state]}. */
    String describeNames() {
        List<String> out = new ArrayList<>();
        for (Arg a : new java.util.TreeMap<>(args).values()) {
            out.add(a.aliases().isEmpty() ? a.name()
                    : a.name() + " (" + String.join(", ", new TreeSet<>(a.aliases())) + ")");
        }
        return out.isEmpty() ? "no arguments" : "one of " + out;
    }

    /** Collects arguments and rules; {@link #build} checks that the spec itself is consistent. */
    public static final class Builder {
        private String freeForm;
        private final List<Arg> args = new ArrayList<>();
        private final List<ArgRule> rules = new ArrayList<>();
        private boolean anyName;

        private Builder() {}

        /** Names the argument that takes free-form text; it must be declared too. */
        public Builder freeForm(String name) {
            freeForm = name;
            return this;
        }

        public Builder add(Arg... more) {
            args.addAll(List.of(more));
            return this;
        }

        public Builder add(List<Arg> more) {
            args.addAll(more);
            return this;
        }

        public Builder anyName() {
            anyName = true;
            return this;
        }

        public Builder mutuallyExclusive(String... names) {
            rules.add(new ArgRule.MutuallyExclusive(List.of(names)));
            return this;
        }

        public Builder requiredTogether(String... names) {
            rules.add(new ArgRule.RequiredTogether(List.of(names)));
            return this;
        }

        public Builder requiredOneOf(String... names) {
            rules.add(new ArgRule.RequiredOneOf(List.of(names)));
            return this;
        }

        /** When {@code key} is {@code value}, every one of {@code then} is required. */
        public Builder requiredIf(String key, Object value, String... then) {
            rules.add(new ArgRule.RequiredIf(key, value, List.of(then), false));
            return this;
        }

        /** When {@code key} is {@code value}, at least one of {@code then} is required. */
        public Builder requiredIfAny(String key, Object value, String... then) {
            rules.add(new ArgRule.RequiredIf(key, value, List.of(then), true));
            return this;
        }

        /** When {@code key} is given, every one of {@code then} is required. */
        public Builder requiredBy(String key, String... then) {
            rules.add(new ArgRule.RequiredBy(key, List.of(then)));
            return this;
        }

        public ArgSpec build() {
            return new ArgSpec(freeForm, args, anyName, rules);
        }
    }
}
