package dev.fleet.engine;

import dev.fleet.playbook.Keywords;
import dev.fleet.template.TemplateException;
import dev.fleet.template.Templater;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The items a looping task runs over: {@code loop} must render to a list; {@code with_<lookup>} renders its terms
 * (a single value becomes a one-term list, as Ansible's listify does) and hands them to the lookup.
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
        List<?> terms = rendered instanceof List<?> l ? l : rendered == null ? List.of() : List.of(rendered);
        return lookup(k.loopLookup(), terms);
    }

    private static List<?> lookup(String name, List<?> terms) throws TemplateException {
        return switch (name) {
            case "list" -> terms;
            case "items" -> {
                // with_items flattens one level, as in Ansible
                List<Object> flat = new ArrayList<>();
                for (Object o : terms) {
                    if (o instanceof List<?> inner) flat.addAll(inner);
                    else flat.add(o);
                }
                yield flat;
            }
            default -> throw new TemplateException("with_" + name + " is not available: fleet has no '" + name
                    + "' lookup yet");
        };
    }
}
