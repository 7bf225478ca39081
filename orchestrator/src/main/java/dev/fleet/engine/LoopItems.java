package dev.fleet.engine;

import dev.fleet.lookup.Lookup;
import dev.fleet.lookup.LookupContext;
import dev.fleet.lookup.LookupException;
import dev.fleet.lookup.Lookups;
import dev.fleet.playbook.Keywords;
import dev.fleet.template.TemplateException;
import dev.fleet.template.Templater;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The items a looping task runs over: {@code loop} must render to a list; {@code with_<lookup>} renders its terms
 * (a single value becomes a one-term list, as Ansible's listify does) and hands them to that lookup plugin.
 */
final class LoopItems {
    private LoopItems() {}

    static List<?> of(Keywords k, Map<String, Object> vars, Templater templater) throws TemplateException {
        Object raw = k.loop();
        Object rendered = raw instanceof String s ? templater.render(s, vars) : templater.renderDeep(raw, vars);
        if (k.loopLookup() == null) {
            if (rendered instanceof List<?> items) return items;
            throw new TemplateException("Invalid data passed to 'loop', it requires a list, got this instead: "
                    + rendered + ". Hint: if you passed a list/dict of just one element, try adding wantlist=True "
                    + "to your lookup invocation or use q/query instead of lookup.");
        }
        Lookup lookup = Lookups.find(k.loopLookup())
                .orElseThrow(() -> new TemplateException(Lookups.unknown(k.loopLookup())));
        LookupContext ctx = LookupContext.fromVars(vars, (src, extra) -> {
            Map<String, Object> all = new LinkedHashMap<>(vars);
            all.putAll(extra);
            try {
                return String.valueOf(templater.render(src, all));
            } catch (TemplateException e) {
                throw new LookupException(e.getMessage());
            }
        });
        try {
            return lookup.run(Lookups.terms(rendered), Map.of(), ctx);
        } catch (LookupException e) {
            throw new TemplateException("with_" + k.loopLookup() + ": " + e.getMessage());
        }
    }
}
