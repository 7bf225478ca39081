package dev.fleet.lookup;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every lookup fleet has, by name: the one place a lookup is registered.
 *
 * <p>How callers use it: {@code lookup()}/{@code query()} in templates pass their positional arguments as the
 * terms and their keyword arguments as the options. A {@code with_<name>:} loop passes {@link #terms} of its
 * templated value and no options:
 * <pre>{@code
 * Lookup l = Lookups.find(name).orElseThrow(...);
 * List<Object> items = l.run(Lookups.terms(renderedLoopValue), Map.of(), LookupContext.fromVars(vars, renderer));
 * }</pre>
 */
public final class Lookups {
    private static final Map<String, Lookup> ALL = index(List.of(
            new ItemsLookup(),
            new ListLookup(),
            new IndexedItemsLookup(),
            new DictLookup(),
            new SequenceLookup(),
            new TogetherLookup(),
            new NestedLookup(),
            new SubelementsLookup(),
            new RandomChoiceLookup(),
            new FileLookup(),
            new FileglobLookup(),
            new FirstFoundLookup(),
            new TemplateLookup(),
            new LinesLookup(),
            new PipeLookup(),
            new EnvLookup(),
            new VarsLookup(),
            new PasswordLookup(),
            new IniLookup(),
            new CsvfileLookup()));

    /** The prefixes that name Ansible's own plugins: {@code ansible.builtin.file} is {@code file}. */
    private static final List<String> BUILTIN_PREFIXES = List.of("ansible.builtin.", "ansible.legacy.");

    private Lookups() {}

    private static Map<String, Lookup> index(List<Lookup> lookups) {
        Map<String, Lookup> byName = new LinkedHashMap<>();
        for (Lookup l : lookups) {
            if (byName.put(l.name(), l) != null) throw new IllegalStateException("two lookups named " + l.name());
        }
        return Map.copyOf(byName);
    }

    /** The lookup of that name, short ({@code file}) or qualified ({@code ansible.builtin.file}). */
    public static Optional<Lookup> find(String name) {
        if (name == null) return Optional.empty();
        for (String prefix : BUILTIN_PREFIXES) {
            if (name.startsWith(prefix)) return Optional.ofNullable(ALL.get(name.substring(prefix.length())));
        }
        return Optional.ofNullable(ALL.get(name));
    }

    /** The short names of all lookups, sorted. */
    public static Set<String> names() {
        return new java.util.TreeSet<>(ALL.keySet());
    }

    /** The message for a name that is not a lookup, listing the ones there are. */
    public static String unknown(String name) {
        return "lookup plugin (" + name + ") not found; fleet has " + String.join(", ", names());
    }

    /**
     * The terms a {@code with_<name>:} loop passes to its lookup, from the loop's value once templated: a list
     * is the terms; anything else (a string such as {@code with_file: motd}, a dict) is one term. Templates
     * do not need this: there each argument of {@code lookup()} is one term already.
     */
    public static List<Object> terms(Object loopValue) {
        return Terms.listify(loopValue);
    }
}
