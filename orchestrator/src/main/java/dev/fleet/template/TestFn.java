package dev.fleet.template;

/** A test: the value left of {@code is}, and the test's positional arguments. */
@FunctionalInterface
interface TestFn {
    boolean test(Object var, Object[] args);
}
