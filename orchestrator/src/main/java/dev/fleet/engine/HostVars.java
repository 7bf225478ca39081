package dev.fleet.engine;

import dev.fleet.inventory.Inventory;
import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code hostvars}: every host's variables (inventory, facts and registered results, extra vars), computed only
 * for the hosts a template actually looks up, so a task on a 1000-host fleet does not copy 1000 maps.
 */
final class HostVars extends AbstractMap<String, Object> {
    private final Inventory inventory;
    private final java.util.function.Function<String, HostState> hosts;
    private final Map<String, Object> extraVars;

    HostVars(Inventory inventory, java.util.function.Function<String, HostState> hosts,
            Map<String, Object> extraVars) {
        this.inventory = inventory;
        this.hosts = hosts;
        this.extraVars = extraVars;
    }

    @Override
    public Object get(Object key) {
        if (!(key instanceof String name) || inventory.host(name).isEmpty()) return null;
        Map<String, Object> vars = new LinkedHashMap<>(inventory.varsFor(name));
        HostState st = hosts.apply(name);
        if (st != null) {
            vars.putAll(st.includedVarsSnapshot());
            vars.putAll(st.factsSnapshot());
        }
        vars.putAll(extraVars);
        return vars;
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof String name && inventory.host(name).isPresent();
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        Set<Entry<String, Object>> out = new LinkedHashSet<>();
        for (var h : inventory.hosts()) out.add(new SimpleImmutableEntry<>(h.name(), get(h.name())));
        return out;
    }
}
