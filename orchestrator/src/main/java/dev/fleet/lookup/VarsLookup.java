package dev.fleet.lookup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code vars}: the values of variables named by strings (so the name itself can be computed), falling back
 * to the host's {@code hostvars} entry, then to {@code default} when one is given.
 */
final class VarsLookup implements Lookup {
    @Override
    public String name() {
        return "vars";
    }

    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options, LookupContext ctx)
            throws LookupException {
        Object dflt = options.get("default");
        Map<String, Object> vars = ctx.vars();
        List<Object> out = new ArrayList<>();
        for (Object term : terms) {
            if (!(term instanceof String name)) {
                throw new LookupException("Invalid setting identifier, " + Terms.describe(term)
                        + " is not a string: the vars lookup takes variable names");
            }
            if (vars.containsKey(name)) {
                out.add(vars.get(name));
            } else if (hostVar(vars, name) instanceof Found f) {
                out.add(f.value());
            } else if (dflt != null) {
                out.add(dflt);
            } else {
                throw new LookupException("No variable found with this name: " + name
                        + " (pass default=... to the vars lookup to use a value instead)");
            }
        }
        return out;
    }

    private record Found(Object value) {}

    /** hostvars[inventory_hostname][name], when the engine provides hostvars. */
    private static Found hostVar(Map<String, Object> vars, String name) {
        if (vars.get("hostvars") instanceof Map<?, ?> hostvars
                && hostvars.get(String.valueOf(vars.get("inventory_hostname"))) instanceof Map<?, ?> mine
                && mine.containsKey(name)) {
            return new Found(mine.get(name));
        }
        return null;
    }
}
