package dev.fleet.lookup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * {@code env}: environment variables of the controller (fleet's own process), {@code default} (empty string
 * unless given) for those that are not set. Only the first word of a term is the variable's name.
 */
final class EnvLookup implements Lookup {
    private final UnaryOperator<String> environment;

    EnvLookup() {
        this(System::getenv);
    }

    /** @param environment the environment to read; tests pass their own */
    EnvLookup(UnaryOperator<String> environment) {
        this.environment = environment;
    }

    @Override
    public String name() {
        return "env";
    }

    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options, LookupContext ctx)
            throws LookupException {
        Object dflt = options.getOrDefault("default", "");
        List<Object> out = new ArrayList<>();
        for (Object term : terms) {
            String[] words = Terms.string(term, "env").strip().split("\\s+");
            if (words[0].isEmpty()) throw new LookupException(
                    "the env lookup needs a variable name, got an empty term");
            String value = environment.apply(words[0]);
            out.add(value != null ? value : dflt);
        }
        return out;
    }
}
