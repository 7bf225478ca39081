package dev.fleet.template;

import static dev.fleet.template.Args.unwrap;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.objects.collections.PyList;
import java.util.List;
import java.util.Map;

/**
 * How fleet's filters and tests meet jinjava: {@link Fn} and {@link TestFn} adapted to jinjava's interfaces,
 * and the strictness about undefined values that wraps every filter and test but those made to take one.
 */
final class Wrappers {
    private Wrappers() {}

    /** {@code for} that refuses to loop over an undefined value (jinjava would loop once over it). */
    public static final class StrictForTag extends com.hubspot.jinjava.lib.tag.ForTag {
        @Override
        public String renderForCollection(com.hubspot.jinjava.tree.TagNode tagNode, JinjavaInterpreter interpreter,
                List<String> loopVars, Object collection) {
            if (collection instanceof Undefined u) throw u.error();
            return super.renderForCollection(tagNode, interpreter, loopVars, collection);
        }
    }

    static void refuseUndefined(Object var, Object[] args, Map<String, Object> kwargs) {
        if (var instanceof Undefined u) throw u.error();
        if (args != null) for (Object o : args) if (o instanceof Undefined u) throw u.error();
        if (kwargs != null) for (Object o : kwargs.values()) if (o instanceof Undefined u) throw u.error();
    }

    /** A filter of ours: plain Java values in, whatever comes out. */
    public static final class FnFilter implements Filter {
        private final String name;
        private final Fn fn;

        FnFilter(String name, Fn fn) {
            this.name = name;
            this.fn = fn;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return filter(var, interpreter, (Object[]) args, Map.of());
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            try {
                return fn.apply(unwrap(var), args == null ? new Object[0] : args, kwargs == null ? Map.of() : kwargs);
            } catch (FilterFailure | Undefined.UndefinedVariableException | JinjaTemplater.TimeBudgetExceeded e) {
                throw e;
            } catch (RuntimeException e) {
                throw new FilterFailure("filter '" + name + "' failed: " + e.getMessage());
            }
        }
    }

    /** Any filter, refusing undefined input. */
    public static final class StrictFilter implements Filter {
        private final Filter delegate;

        StrictFilter(Filter delegate) {
            this.delegate = delegate;
        }

        @Override
        public String getName() {
            return delegate.getName();
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            refuseUndefined(var, args, null);
            return delegate.filter(var, interpreter, args);
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            refuseUndefined(var, args, kwargs);
            return delegate.filter(var, interpreter, args, kwargs);
        }
    }

    public static final class FnTest implements ExpTest {
        private final String name;
        private final TestFn test;

        FnTest(String name, TestFn test) {
            this.name = name;
            this.test = test;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
            if (args == null) args = new Object[0];
            // jinjava passes `x is t(a, b)` as one tuple argument (a PyList exactly, where a list literal is a
            // subclass of it): spread it, as Jinja2 would pass a and b.
            if (args.length == 1 && args[0] != null && args[0].getClass() == PyList.class) {
                args = ((PyList) args[0]).toList().toArray();
            }
            try {
                return test.test(unwrap(var), args);
            } catch (FilterFailure | Undefined.UndefinedVariableException | JinjaTemplater.TimeBudgetExceeded e) {
                throw e;
            } catch (RuntimeException e) {
                throw new FilterFailure("test '" + name + "' failed: " + e.getMessage());
            }
        }
    }

    /** Any test, refusing undefined input. */
    public static final class StrictTest implements ExpTest {
        private final ExpTest delegate;

        StrictTest(ExpTest delegate) {
            this.delegate = delegate;
        }

        @Override
        public String getName() {
            return delegate.getName();
        }

        @Override
        public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
            refuseUndefined(var, args, null);
            return delegate.evaluate(var, interpreter, args);
        }

        @Override
        public boolean evaluateNegated(Object var, JinjavaInterpreter interpreter, Object... args) {
            refuseUndefined(var, args, null);
            return delegate.evaluateNegated(var, interpreter, args);
        }
    }
}
