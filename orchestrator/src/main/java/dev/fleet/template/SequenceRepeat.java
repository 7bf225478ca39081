package dev.fleet.template;

import com.hubspot.jinjava.el.ExtendedSyntaxBuilder;
import com.hubspot.jinjava.el.ext.ExtendedParser;
import com.hubspot.jinjava.interpret.CollectionTooBigException;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.OutputTooBigException;
import java.util.ArrayList;
import java.util.List;
import jinjava.de.odysseus.el.misc.NumberOperations;
import jinjava.de.odysseus.el.misc.TypeConverter;
import jinjava.de.odysseus.el.tree.impl.Builder;
import jinjava.de.odysseus.el.tree.impl.Builder.Feature;
import jinjava.de.odysseus.el.tree.impl.Parser;
import jinjava.de.odysseus.el.tree.impl.Scanner;
import jinjava.de.odysseus.el.tree.impl.Scanner.ScanException;
import jinjava.de.odysseus.el.tree.impl.ast.AstBinary;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;

/**
 * Python's {@code *} on sequences: {@code '-' * 20} and {@code [0] * 3} repeat, as in Ansible's Jinja; numbers
 * still multiply. The result obeys the template limits (characters, list items) before it is built, so
 * {@code 'a' * 10**12} fails the task instead of the controller.
 */
final class SequenceRepeat extends AstBinary.SimpleOperator {
    static final SequenceRepeat OP = new SequenceRepeat();

    @Override
    protected Object apply(TypeConverter converter, Object a, Object b) {
        if (isText(a) && isCount(b)) return text(a.toString(), count(b));
        if (isCount(a) && isText(b)) return text(b.toString(), count(a));
        if (a instanceof List<?> l && isCount(b)) return list(l, count(b));
        if (isCount(a) && b instanceof List<?> l) return list(l, count(a));
        return NumberOperations.mul(converter, a, b);
    }

    private static boolean isText(Object o) {
        return o instanceof CharSequence && !(o instanceof Undefined);
    }

    /** An int in Python's sense: integral numbers and booleans ({@code True * 'a'} is {@code 'a'}). */
    private static boolean isCount(Object o) {
        return o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Byte
                || o instanceof java.math.BigInteger || o instanceof Boolean;
    }

    private static long count(Object o) {
        if (o instanceof Boolean b) return b ? 1 : 0;
        if (o instanceof java.math.BigInteger big) {
            return big.signum() <= 0 ? 0 : big.bitLength() > 62 ? Long.MAX_VALUE : big.longValue();
        }
        return Math.max(0, ((Number) o).longValue());
    }

    private static String text(String s, long n) {
        if (s.isEmpty() || n == 0) return "";
        long max = limits().getConfig().getMaxStringLength();
        if (max > 0 && n > max / s.length()) {
            throw new OutputTooBigException(max, n > Long.MAX_VALUE / s.length() ? Long.MAX_VALUE : n * s.length());
        }
        return s.repeat((int) n);
    }

    private static List<Object> list(List<?> l, long n) {
        if (l.isEmpty() || n == 0) return new ArrayList<>();
        int max = limits().getConfig().getMaxListSize();
        if (max > 0 && n > max / l.size()) {
            throw new CollectionTooBigException((int) Math.min(Integer.MAX_VALUE, n * l.size()), max);
        }
        List<Object> out = new ArrayList<>((int) n * l.size());
        for (long i = 0; i < n; i++) out.addAll(l);
        return out;
    }

    private static JinjavaInterpreter limits() {
        JinjavaInterpreter current = JinjavaInterpreter.getCurrent();
        if (current == null) throw new IllegalStateException("sequence repetition outside a template");
        return current;
    }

    @Override
    public String toString() {
        return "*";
    }

    /** jinjava's syntax with {@code *} parsed as {@link SequenceRepeat}. */
    static final class Syntax extends ExtendedSyntaxBuilder {
        /** The features jinjava's own expression factory gives its builder (profile JEE6). */
        Syntax() {
            super(Feature.METHOD_INVOCATIONS, Feature.VARARGS);
        }

        @Override
        protected Parser createParser(String expression) {
            return new PythonParser(this, expression);
        }
    }

    /**
     * jinjava's parser with two of Jinja's rules it lacks: {@code *} is {@link SequenceRepeat}, and {@code **} binds
     * tighter than {@code * / // %} (jinjava parses them at one level, so {@code 2 * 3 ** 2} was 36; Jinja says
     * 18; like Jinja, and unlike Python, {@code **} groups from the left).
     */
    private static final class PythonParser extends ExtendedParser {
        PythonParser(Builder builder, String expression) {
            super(builder, expression);
        }

        @Override
        protected AstBinary createAstBinary(AstNode left, AstNode right, AstBinary.Operator operator) {
            return super.createAstBinary(left, right, operator == AstBinary.MUL ? OP : operator);
        }

        @Override
        protected AstNode mul(boolean required) throws ScanException, ParseException {
            AstNode v = pow(required);
            if (v == null) return null;
            while (true) {
                Scanner.Symbol symbol = getToken().getSymbol();
                if (symbol == Scanner.Symbol.MUL || symbol == Scanner.Symbol.DIV || symbol == Scanner.Symbol.MOD) {
                    consumeToken();
                    AstBinary.Operator op = symbol == Scanner.Symbol.MUL ? AstBinary.MUL
                            : symbol == Scanner.Symbol.DIV ? AstBinary.DIV : AstBinary.MOD;
                    v = createAstBinary(v, pow(true), op);
                } else if (isExtension(ExtensionPoint.MUL) && !isPower()) {
                    v = getExtensionHandler(consumeToken()).createAstNode(v, pow(true));
                } else {
                    return v;
                }
            }
        }

        private AstNode pow(boolean required) throws ScanException, ParseException {
            AstNode v = filter(required);
            if (v == null) return null;
            while (isPower()) v = getExtensionHandler(consumeToken()).createAstNode(v, filter(true));
            return v;
        }

        private boolean isPower() {
            return isExtension(ExtensionPoint.MUL) && "**".equals(getToken().getImage());
        }

        private boolean isExtension(ExtensionPoint point) {
            if (getToken().getSymbol() != Scanner.Symbol.EXTENSION) return false;
            ExtensionHandler h = getExtensionHandler(getToken());
            return h != null && h.getExtensionPoint() == point;
        }
    }
}
