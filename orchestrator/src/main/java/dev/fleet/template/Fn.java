package dev.fleet.template;

import java.util.Map;

/** A filter: the value left of the {@code |}, positional and keyword arguments (all unwrapped to plain Java). */
@FunctionalInterface
interface Fn {
    Object apply(Object var, Object[] args, Map<String, Object> kwargs);
}
