package dev.fleet.template;

import com.hubspot.jinjava.el.ext.NamedParameter;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import dev.fleet.lookup.Lookup;
import dev.fleet.lookup.LookupContext;
import dev.fleet.lookup.LookupException;
import dev.fleet.lookup.Lookups;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ansible's {@code lookup(name, *terms, **options)}, {@code query(...)} and {@code q(...)} template functions,
 * running the plugins of {@link Lookups}.
 *
 * <p>{@code lookup} joins a list of strings with commas, gives a lone non-string item as it is, and gives the
 * list itself when it holds several non-strings; {@code wantlist=True}, and {@code query}, always give the
 * list. {@code errors='warn'} or {@code 'ignore'} turn a failing lookup into None (an empty list when a list
 * is wanted), warning on stderr for {@code warn}; an undefined variable fails whatever {@code errors} says.
 *
 * <p>The lookup sees the render's own variables, resolved by name as the template itself resolves them (so a
 * variable holding a template is rendered, and loop variables of the template are visible). Relative files
 * are found from {@code ansible_search_path}, or {@code role_path} and {@code playbook_dir}, which the engine
 * sets among the task's variables (see {@link LookupContext#fromVars}). The {@code template} lookup renders
 * its file within the same call, so it shares the call's time and size budget.
 */
final class LookupFunctions {
    private LookupFunctions() {}

    /** Registers the functions in a templater's global context; called once when the templater is built. */
    static void install(Context global) {
        global.registerFunction(function("lookup"));
        global.registerFunction(function("query"));
        global.registerFunction(new ELFunctionDefinition("", "q", method("query")));
    }

    private static ELFunctionDefinition function(String name) {
        return new ELFunctionDefinition("", name, method(name));
    }

    private static java.lang.reflect.Method method(String name) {
        try {
            var m = LookupFunctions.class.getMethod(name, Object.class, Object[].class);
            m.setAccessible(true); // the class is package-private; the EL engine calls it reflectively
            return m;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Object lookup(Object name, Object... args) {
        return call(name, args, false);
    }

    public static Object query(Object name, Object... args) {
        return call(name, args, true);
    }

    private static Object call(Object nameArg, Object[] args, boolean query) {
        if (nameArg instanceof Undefined u) throw u.error();
        String name = String.valueOf(nameArg);
        List<Object> terms = new ArrayList<>();
        Map<String, Object> options = new LinkedHashMap<>();
        for (Object a : args == null ? new Object[0] : args) {
            if (a instanceof NamedParameter p) options.put(p.getName(), Py.export(p.getValue()));
            else terms.add(Py.export(a));
        }
        boolean wantlist = query || Py.truthy(options.remove("wantlist"));
        String errors = String.valueOf(options.getOrDefault("errors", "strict"));
        options.remove("errors");
        options.remove("allow_unsafe"); // fleet never re-renders a lookup's result, so it is always "unsafe"
        Lookup lookup = Lookups.find(name).orElseThrow(() -> fail(Lookups.unknown(name)));

        JinjavaInterpreter interpreter = JinjavaInterpreter.getCurrent();
        Map<String, Object> vars = new RenderVars(interpreter);
        LookupContext ctx = LookupContext.fromVars(vars, (source, extra) -> renderHere(interpreter, source, extra));
        List<Object> result;
        try {
            result = lookup.run(terms, options, ctx);
        } catch (LookupException e) {
            String msg = "lookup plugin '" + name + "' failed: " + e.getMessage();
            switch (errors) {
                case "warn" -> System.err.println("[WARNING]: " + msg);
                case "ignore" -> { }
                default -> throw fail(msg + (errors.equals("strict") ? ""
                        : " (errors='" + errors + "' is not one of strict, warn, ignore)"));
            }
            return wantlist ? new ArrayList<>() : null;
        }
        return wantlist ? result : joined(result);
    }

    /** What {@code lookup()} gives without wantlist, as Ansible decides it. */
    private static Object joined(List<Object> result) {
        if (result.isEmpty()) return result;
        if (result.stream().allMatch(o -> o instanceof String)) {
            return String.join(",", result.stream().map(o -> (String) o).toList());
        }
        return result.size() == 1 ? result.get(0) : result;
    }

    /**
     * Renders a template file's text in a scope of its own inside the current call, with the extra variables
     * on top. Errors it records are taken back and reported as the lookup's failure (an undefined variable is
     * raised as such, as Ansible raises it whatever errors= says).
     */
    private static String renderHere(JinjavaInterpreter interpreter, String source, Map<String, Object> extra)
            throws LookupException {
        int before = interpreter.getErrorsCopy().size();
        String out;
        try (var scope = interpreter.enterScope()) {
            interpreter.getContext().putAll(extra);
            out = interpreter.render(source);
        }
        List<TemplateError> errors = interpreter.getErrorsCopy();
        if (errors.size() == before) return out;
        TemplateError first = errors.get(before);
        while (interpreter.getErrorsCopy().size() > before) interpreter.removeLastError();
        for (Throwable c = first.getException(); c != null && c.getCause() != c; c = c.getCause()) {
            if (c instanceof RuntimeException r && (c instanceof Undefined.UndefinedVariableException
                    || c instanceof JinjaTemplater.TimeBudgetExceeded)) throw r;
        }
        throw new LookupException("rendering failed: " + first.getMessage());
    }

    private static RuntimeException fail(String message) {
        return new JinjaTemplater.TemplateFailure(new TemplateException(message));
    }

    /**
     * The variables of the render, read by name through the template's own resolution. They cannot be listed:
     * the engine's variables are resolved one name at a time.
     */
    private static final class RenderVars extends AbstractMap<String, Object> {
        private final JinjavaInterpreter interpreter;

        RenderVars(JinjavaInterpreter interpreter) {
            this.interpreter = interpreter;
        }

        @Override
        public Object get(Object key) {
            Object v = raw(key);
            return v instanceof Undefined ? null : Py.export(v);
        }

        @Override
        public boolean containsKey(Object key) {
            return !(raw(key) instanceof Undefined);
        }

        private Object raw(Object key) {
            if (!(key instanceof String name) || interpreter == null) return new Undefined(String.valueOf(key));
            return interpreter.retraceVariable(name, -1);
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            throw new UnsupportedOperationException("a template's variables can be read by name only");
        }
    }
}
