package dev.fleet.template;

import com.hubspot.jinjava.util.HasObjectTruthValue;
import java.util.function.Supplier;

/**
 * What an expression yields for a variable, key or index that does not exist, like Jinja2's StrictUndefined:
 * it may flow into {@code is defined}, {@code is undefined}, {@code default} and {@code mandatory}, and any
 * other use (printing, comparing, truth-testing, passing to a filter) fails naming what was missing.
 * Attribute access on an undefined value yields the same undefined value, so the message names the first
 * missing piece, as Ansible does.
 *
 * <p>It is a CharSequence only so that jinjava's {@code in} operator reads it (and so fails) rather than
 * answering false for any value it does not recognise as a container.
 */
final class Undefined implements HasObjectTruthValue, CharSequence {
    private final Supplier<String> name;
    private final String message;

    Undefined(String name) {
        this(() -> name);
    }

    /** The name is computed only if a message is needed (finding a nested key's path is a search). */
    Undefined(Supplier<String> name) {
        this.name = name;
        this.message = null;
    }

    private Undefined(String name, String message) {
        this.name = () -> name;
        this.message = message;
    }

    /** An attribute that a value of some type does not have: "'str object' has no attribute 'foo'". */
    static Undefined noAttribute(String typeName, Object attribute) {
        return new Undefined(String.valueOf(attribute),
                "'" + typeName + " object' has no attribute '" + attribute + "'");
    }

    String name() {
        return name.get();
    }

    String message() {
        return message != null ? message : "'" + name() + "' is undefined";
    }

    UndefinedVariableException error() {
        return new UndefinedVariableException(message());
    }

    @Override
    public boolean getObjectTruthValue() {
        throw error();
    }

    @Override
    public String toString() {
        throw error();
    }

    @Override
    public int length() {
        throw error();
    }

    @Override
    public char charAt(int index) {
        throw error();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        throw error();
    }

    @Override
    public boolean equals(Object other) {
        if (other == this) return true;
        throw error();
    }

    @Override
    public int hashCode() {
        throw error();
    }

    /** Thrown wherever an undefined value is used for anything but the tests and filters that accept it. */
    static final class UndefinedVariableException extends RuntimeException {
        UndefinedVariableException(String message) {
            super(message, null, false, false);
        }
    }
}
