package dev.fleet.template;

import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.lib.fn.Functions;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code range()} that fails past the templater's range limit instead of quietly stopping there: jinjava's own
 * cuts {@code range(10**9)} to its first 100000 numbers, so {@code range(10**9) | sum} printed a wrong number.
 * Python's semantics otherwise: {@code range(stop)}, {@code range(start, stop[, step])}, a negative step counts
 * down, and numbers past 2^31 work.
 */
final class RangeFunction {
    private RangeFunction() {}

    /** Replaces jinjava's {@code range} in a templater's global context; called once when it is built. */
    static void install(Context global) {
        try {
            var m = RangeFunction.class.getMethod("range", Object.class, Object[].class);
            m.setAccessible(true); // the class is package-private; the EL engine calls it reflectively
            global.registerFunction(new ELFunctionDefinition("", "range", m));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<Object> range(Object first, Object... rest) {
        JinjavaInterpreter interp = JinjavaInterpreter.getCurrent();
        int limit = interp == null ? Functions.DEFAULT_RANGE_LIMIT : interp.getConfig().getRangeLimit();
        long start = 0;
        long stop;
        long step = 1;
        if (rest == null || rest.length == 0) {
            stop = number(first);
        } else {
            start = number(first);
            stop = number(rest[0]);
            if (rest.length > 1) step = number(rest[1]);
        }
        if (step == 0) throw new FilterFailure("range() arg 3 must not be zero");
        long count = step > 0 ? Math.max(0, Math.ceilDiv(stop - start, step))
                : Math.max(0, Math.ceilDiv(start - stop, -step));
        if (count > limit) {
            throw new FilterFailure("range() of " + count + " numbers is over fleet's limit of " + limit
                    + " for one range(); loop over less, or use a smaller range");
        }
        boolean small = fitsInt(start) && fitsInt(stop);
        List<Object> out = new ArrayList<>((int) count);
        for (long i = 0, v = start; i < count; i++, v += step) out.add(small ? (Object) (int) v : (Object) v);
        return out;
    }

    private static boolean fitsInt(long v) {
        return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE;
    }

    private static long number(Object o) {
        Object v = WideNumbers.unwrap(o);
        if (v instanceof Number n) return n.longValue();
        try {
            return Long.parseLong(String.valueOf(v).strip());
        } catch (NumberFormatException e) {
            throw new FilterFailure("range() needs whole numbers, got '" + v + "'");
        }
    }
}
