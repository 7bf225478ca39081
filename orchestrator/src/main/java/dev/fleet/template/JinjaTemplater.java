package dev.fleet.template;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.objects.collections.PyList;
import com.hubspot.jinjava.objects.collections.PyMap;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jinja2 templating as Ansible playbooks use it, on jinjava: {@code {{ }}} expressions and {@code {% %}}
 * statements, Ansible's filters and tests, strict undefined variables, and native types for a string that is
 * one lone expression.
 *
 * <p>One instance is shared by all hosts and is safe to call from any number of threads at once: the jinjava
 * engine, its filters and tests are configured once and read-only afterwards, and each call gets its own
 * interpreter and scope. Strings without {@code {{}}, {@code {%} or {@code {#} never reach the engine.
 *
 * <p>Every call is bounded: output size, collection sizes, {@code range()}, recursion and wall-clock time
 * (checked while loops run and while regular expressions match), so a hostile or broken template fails with a
 * {@link TemplateException} instead of hanging or exhausting memory.
 */
public final class JinjaTemplater implements Templater {
    /** Default wall-clock budget for one render or evaluate call. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** Default cap on the characters one call may produce, and on any one string built on the way. */
    public static final long DEFAULT_MAX_OUTPUT = 16L << 20;

    private static final Pattern LONE_EXPRESSION = Pattern.compile("\\A\\{\\{([-+]?)(.*?)([-+]?)}}\\z", Pattern.DOTALL);
    private static final int MAX_VARIABLE_NESTING = 20;
    private static final int MAX_BRACKET_NESTING = 200;

    private final Jinjava jinjava;
    private final JinjavaConfig config;
    private final long timeoutNanos;

    /** A templater with {@link #DEFAULT_TIMEOUT} and {@link #DEFAULT_MAX_OUTPUT}. */
    public JinjaTemplater() {
        this(DEFAULT_TIMEOUT, DEFAULT_MAX_OUTPUT);
    }

    /**
     * @param timeout        wall-clock budget for one call (rendering a large template included)
     * @param maxOutputChars most characters one call may output or build into one string
     */
    public JinjaTemplater(Duration timeout, long maxOutputChars) {
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
        if (maxOutputChars <= 0) throw new IllegalArgumentException("maxOutputChars must be positive");
        this.timeoutNanos = timeout.toNanos();
        this.config = JinjavaConfig.newBuilder()
                .withNestedInterpretationEnabled(false) // never re-render what a variable holds (command output!)
                .withFailOnUnknownTokens(false)         // undefined is handled by Undefined, which names the variable
                .withTrimBlocks(true)                   // as Ansible's templating does
                .withMaxOutputSize(maxOutputChars)
                .withMaxStringLength(maxOutputChars)
                .withMaxRenderDepth(10)
                .withEnableRecursiveMacroCalls(false)
                .withMaxMacroRecursionDepth(20)
                .withMaxListSize(1_000_000)
                .withMaxMapSize(1_000_000)
                .withRangeLimit(100_000)
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withEvaluateMapKeys(true)           // {k: v} uses the variable k, as in Python
                        .withIterateOverMapKeys(true)        // for k in dict iterates keys, as in Python
                        .withUseNaturalOperatorPrecedence(true)
                        .withParseWhitespaceControlStrictly(true)
                        .withKeepNullableLoopValues(true)
                        .withHandleBackslashInQuotesOnly(true)
                        .build())
                .withElResolver(new StrictResolver(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY))
                .withInterperterFactory(new FleetInterpreter.Factory())
                .build();
        this.jinjava = new PythonTruth.Engine(config);
        Catalog.install(jinjava.getGlobalContext());
        LookupFunctions.install(jinjava.getGlobalContext());
        RangeFunction.install(jinjava.getGlobalContext());
    }

    @Override
    public Object render(String text, Map<String, Object> vars) throws TemplateException {
        Objects.requireNonNull(vars, "vars");
        if (text == null || !isTemplatedOrComment(text)) return text;
        return renderNested(text, vars, new Nesting());
    }

    @Override
    public boolean evaluate(String condition, Map<String, Object> vars) throws TemplateException {
        Objects.requireNonNull(vars, "vars");
        if (condition == null) throw new TemplateException("empty condition");
        String expr = condition.strip();
        Boolean literal = Py.yamlBool(expr);
        if (literal != null) return literal;
        if (expr.isEmpty()) throw new TemplateException("empty condition");
        if (isTemplatedOrComment(expr)) {
            // Ansible warns but accepts `when: "{{ x }}"`: render, then judge what came out.
            Object v = render(expr, vars);
            if (v instanceof String s) {
                Boolean b = Py.yamlBool(s);
                if (b != null) return b;
                if (s.isBlank()) return false;
                if (isTemplatedOrComment(s)) throw new TemplateException("condition '" + condition
                        + "' rendered to another template: '" + abbreviate(s) + "'");
                return evaluate(s, vars);
            }
            return truth(v, condition);
        }
        checkNesting(expr);
        Object v = evaluateExpression(expr, condition, vars, new Nesting());
        return truth(v, condition);
    }

    /** Python truth, as Ansible 2.14's {@code {% if cond %}}: any non-empty string is true, even "false". */
    private static boolean truth(Object v, String condition) throws TemplateException {
        try {
            return Py.truthy(v);
        } catch (Undefined.UndefinedVariableException e) {
            throw new TemplateException(e.getMessage() + " in condition '" + abbreviate(condition) + "'");
        }
    }

    private static boolean isTemplatedOrComment(String s) {
        return s.contains("{{") || s.contains("{%") || s.contains("{#");
    }

    // ---- one call ------------------------------------------------------------------------------------------

    /**
     * jinjava's expression parser looks ahead to each bracket's partner, which costs the cube of the nesting
     * depth: a few thousand nested brackets would hang it. No real template nests brackets this deep.
     */
    private static void checkNesting(String text) throws TemplateException {
        int depth = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(' || c == '[' || c == '{') {
                if (++depth > MAX_BRACKET_NESTING) {
                    throw failure("template nested too deeply (over " + MAX_BRACKET_NESTING + " brackets)", text);
                }
            } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
                depth--;
            }
        }
    }

    private Object renderNested(String text, Map<String, Object> vars, Nesting nesting) throws TemplateException {
        checkNesting(text);
        String lone = loneExpression(text);
        if (lone != null) return evaluateExpression(lone, text, vars, nesting);
        try (Call call = new Call(vars, nesting)) {
            String out = call.interpreter.render(DotIndex.template(text));
            call.check(text);
            return out;
        } catch (RuntimeException | StackOverflowError e) {
            throw translate(e, text);
        }
    }

    private Object evaluateExpression(String expr, String source, Map<String, Object> vars, Nesting nesting)
            throws TemplateException {
        try (Call call = new Call(vars, nesting)) {
            Object v = call.interpreter.resolveELExpression(DotIndex.expression(expr), 1);
            call.check(source);
            return Py.export(v);
        } catch (RuntimeException | StackOverflowError e) {
            throw translate(e, source);
        }
    }

    /** The expression inside a string that is exactly one {@code {{ expr }}}, or null. */
    static String loneExpression(String text) {
        if (!text.startsWith("{{") || !text.endsWith("}}")) return null;
        Matcher m = LONE_EXPRESSION.matcher(text);
        if (!m.matches()) return null;
        String inner = m.group(2);
        if (inner.contains("{{") || inner.contains("}}") || inner.contains("{%") || inner.contains("%}")
                || inner.contains("{#") || inner.isBlank()) return null;
        return inner.strip();
    }

    private TemplateException translate(Throwable e, String source) {
        if (e instanceof TemplateFailure f && f.getCause() instanceof TemplateException te) return te;
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof Undefined.UndefinedVariableException) return failure(c.getMessage(), source);
            if (c instanceof TimeBudgetExceeded || c instanceof RegexSubject.TooSlow) {
                return failure(c.getMessage(), source);
            }
            if (c instanceof FilterFailure) return failure(c.getMessage(), source);
            if (c instanceof TemplateFailure f && f.getCause() instanceof TemplateException te) return te;
            if (c instanceof com.hubspot.jinjava.interpret.OutputTooBigException
                    || c instanceof com.hubspot.jinjava.interpret.CollectionTooBigException) {
                return failure("template output too large: " + firstLine(String.valueOf(c.getMessage())), source);
            }
            if (c.getCause() == c) break;
        }
        if (e instanceof StackOverflowError) return failure("template is nested too deeply", source);
        if (e instanceof com.hubspot.jinjava.interpret.TemplateSyntaxException) {
            String m = firstLine(String.valueOf(e.getMessage()));
            return failure(m.startsWith("Syntax error") ? m : "syntax error: " + m, source);
        }
        String msg = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return failure("error in template: " + firstLine(msg), source);
    }

    static TemplateException failure(String message, String source) {
        return new TemplateException(message + " in '" + abbreviate(source) + "'");
    }

    static String abbreviate(String s) {
        s = s.strip();
        return s.length() <= 200 ? s : s.substring(0, 197) + "...";
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    /** The set of variables being expanded, to refuse {@code a: "{{ a }}"} loops. */
    private static final class Nesting {
        final Deque<String> names = new ArrayDeque<>();
    }

    /** One render or evaluate: an interpreter and a scope of its own, bound to this thread while it runs. */
    final class Call implements AutoCloseable {
        final FleetInterpreter interpreter;
        final Map<String, Object> vars;

        Call(Map<String, Object> vars, Nesting nesting) {
            this.vars = vars;
            FleetInterpreter.CallContext context = new FleetInterpreter.CallContext(jinjava.getGlobalContext());
            context.setDynamicVariableResolver(name -> lookup(name, nesting));
            FleetInterpreter outer = FleetInterpreter.current();
            long deadline = outer != null ? outer.deadline : System.nanoTime() + timeoutNanos;
            this.interpreter = new FleetInterpreter(jinjava, context, config, this, deadline);
            JinjavaInterpreter.pushCurrent(interpreter);
        }

        /**
         * A top-level variable the template's own scope lacks. A string holding a template is rendered, as
         * Ansible renders variables defined in terms of others; values inside maps and lists (registered
         * results, facts) are never rendered.
         */
        private Object lookup(String name, Nesting nesting) {
            if (name.equals(DotIndex.EMPTY_ALIAS)) name = "empty";
            Object v = vars.get(name);
            if (v == null) {
                if (vars.containsKey(name) || name.equals("none") || name.equals("None")) return null;
                return new Undefined(name);
            }
            if (v instanceof String s && isTemplatedOrComment(s)) {
                if (nesting.names.contains(name))
                    throw new FilterFailure("recursive loop detected in variable '" + name + "'");
                if (nesting.names.size() >= MAX_VARIABLE_NESTING)
                    throw new FilterFailure("variables nested too deeply at '" + name + "'");
                nesting.names.push(name);
                try {
                    return WideNumbers.widen(renderNested(s, vars, nesting));
                } catch (TemplateException e) {
                    throw new TemplateFailure(new TemplateException(
                            e.getMessage() + " (while rendering variable '" + name + "')"));
                } finally {
                    nesting.names.pop();
                }
            }
            return WideNumbers.widen(v);
        }

        /** Fails on anything the engine recorded instead of throwing. */
        void check(String source) throws TemplateException {
            List<TemplateError> errors = interpreter.getErrorsCopy();
            if (errors.isEmpty()) return;
            for (TemplateError err : errors) { // an undefined variable explains any follow-on errors
                for (Throwable c = err.getException(); c != null; c = c.getCause()) {
                    if (c instanceof Undefined.UndefinedVariableException || c instanceof TimeBudgetExceeded
                            || c instanceof RegexSubject.TooSlow || c instanceof FilterFailure
                            || c instanceof TemplateFailure
                            || c instanceof com.hubspot.jinjava.interpret.OutputTooBigException
                            || c instanceof com.hubspot.jinjava.interpret.CollectionTooBigException) {
                        throw translate(c, source);
                    }
                    if (c.getCause() == c) break;
                }
            }
            TemplateError err = errors.get(0);
            throw failure(describe(err), source);
        }

        private String describe(TemplateError err) {
            String msg = err.getMessage() == null ? err.getReason().name() : firstLine(err.getMessage());
            return switch (err.getReason()) {
                case SYNTAX_ERROR -> msg.startsWith("Error parsing") ? "syntax error: " + msg : msg;
                case UNKNOWN -> err.getItem() == TemplateError.ErrorItem.FILTER ? "no filter named " + quoted(err)
                        : err.getItem() == TemplateError.ErrorItem.EXPRESSION_TEST ? "no test named " + quoted(err)
                        : msg;
                case OUTPUT_TOO_BIG, COLLECTION_TOO_BIG -> "template output too large: " + msg;
                default -> msg;
            };
        }

        private static String quoted(TemplateError err) {
            return "'" + (err.getFieldName() != null ? err.getFieldName() : err.getMessage()) + "'";
        }

        /** The wall-clock budget of one call, for the message when it runs out. */
        Duration timeout() {
            return Duration.ofNanos(timeoutNanos);
        }

        @Override
        public void close() {
            JinjavaInterpreter.popCurrent();
        }

        /** Where a map that is missing a key sits among the variables, for the message; "dict object" if lost. */
        String pathOf(Object base, Object key) {
            Object target = WideNumbers.unwrap(base instanceof PyMap m ? m.toMap()
                    : base instanceof PyList l ? l.toList() : base);
            String path = find(target);
            String k = String.valueOf(key);
            if (path == null) return (base instanceof Map ? "dict object" : "list object") + "['" + k + "']";
            return key instanceof Number ? path + "[" + k + "]"
                    : k.matches("[A-Za-z_][A-Za-z0-9_]*") ? path + "." + k : path + "['" + k + "']";
        }

        private String find(Object target) {
            // Breadth-first from the variables, a few levels deep, by identity: cheap, and only on failure.
            record Node(Object value, String path, int depth) {}
            Deque<Node> queue = new ArrayDeque<>();
            IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();
            for (var e : vars.entrySet()) queue.add(new Node(e.getValue(), e.getKey(), 0));
            for (Context c = interpreter.getContextQuietly(); c != null && c != jinjava.getGlobalContext();
                    c = c.getParent()) {
                for (var e : c.getScope().entrySet()) queue.add(new Node(e.getValue(), e.getKey(), 0));
            }
            int visited = 0;
            while (!queue.isEmpty() && visited++ < 20_000) {
                Node n = queue.poll();
                Object v = WideNumbers.unwrap(n.value instanceof PyMap m ? m.toMap()
                        : n.value instanceof PyList l ? l.toList() : n.value);
                if (v == target) return n.path;
                if (v == null || n.depth >= 4 || seen.put(v, Boolean.TRUE) != null) continue;
                if (v instanceof Map<?, ?> map) {
                    for (var e : map.entrySet()) {
                        String k = String.valueOf(e.getKey());
                        queue.add(new Node(e.getValue(), k.matches("[A-Za-z_][A-Za-z0-9_]*")
                                ? n.path + "." + k : n.path + "['" + k + "']", n.depth + 1));
                    }
                } else if (v instanceof List<?> list) {
                    int i = 0;
                    for (Iterator<?> it = list.iterator(); it.hasNext() && i < 1000; i++) {
                        queue.add(new Node(it.next(), n.path + "[" + i + "]", n.depth + 1));
                    }
                }
            }
            return null;
        }
    }

    /** Carries a TemplateException (already worded) through the engine, which only lets unchecked ones pass. */
    static final class TemplateFailure extends RuntimeException {
        TemplateFailure(TemplateException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    /** The call ran past its time budget, or its thread was interrupted. */
    static final class TimeBudgetExceeded extends RuntimeException {
        TimeBudgetExceeded(String message) {
            super(message, null, false, false);
        }
    }

}
