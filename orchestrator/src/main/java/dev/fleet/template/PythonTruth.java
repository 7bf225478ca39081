package dev.fleet.template;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.el.TruthyTypeConverter;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.objects.SafeString;
import com.hubspot.jinjava.tree.TagNode;
import com.hubspot.jinjava.util.ObjectTruthValue;
import jinjava.de.odysseus.el.ExpressionFactoryImpl;
import jinjava.de.odysseus.el.tree.TreeStore;
import jinjava.javax.el.ExpressionFactory;

/**
 * Python's truth for {@code and}, {@code or}, {@code not}, {@code x if c else y} and {@code {% if %}}: jinjava calls
 * the string "false" false, Python (and so Ansible's {@code when: s_false and x}) calls every non-empty string true.
 * The engine takes its expression factory, and with it the converter deciding truth, from the Jinjava instance.
 * The same converter prints booleans and None for {@code ~} as Python does.
 */
final class PythonTruth extends TruthyTypeConverter {
    @Override
    protected Boolean coerceToBoolean(Object value) {
        return truth(value);
    }

    /** {@code ~} and other string conversions print as Python's str(): True, False, None. */
    @Override
    protected String coerceToString(Object value) {
        if (value == null) return "None";
        if (value instanceof Boolean b) return b ? "True" : "False";
        return super.coerceToString(value);
    }

    static boolean truth(Object value) {
        if (value instanceof CharSequence && !(value instanceof Undefined) || value instanceof SafeString) {
            return !value.toString().isEmpty();
        }
        return ObjectTruthValue.evaluate(value);
    }

    /** {@code {% if %}} and {@code {% elif %}} with Python's truth (jinjava's tag asks ObjectTruthValue). */
    static final class IfTag extends com.hubspot.jinjava.lib.tag.IfTag {
        @Override
        public boolean isPositiveIfElseNode(TagNode tagNode, JinjavaInterpreter interpreter) {
            return truth(interpreter.resolveELExpression(tagNode.getHelpers(), tagNode.getLineNumber(),
                    tagNode.getStartPosition()));
        }
    }

    /** A Jinjava whose expressions use {@link PythonTruth}; otherwise configured exactly as jinjava does. */
    static final class Engine extends Jinjava {
        private final ExpressionFactory factory;

        Engine(JinjavaConfig config) {
            super(config);
            // no tree cache (as cacheSize 0 before); SequenceRepeat's syntax adds Python's '-' * 20
            this.factory = new ExpressionFactoryImpl(new TreeStore(new SequenceRepeat.Syntax(), null),
                    new PythonTruth());
        }

        @Override
        public ExpressionFactory getExpressionFactory() {
            return factory;
        }
    }
}
