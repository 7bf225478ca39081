package dev.fleet.inventory;

import dev.fleet.yaml.ParseException;
import dev.fleet.yaml.SourcePosition;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The small Jinja2 expression subset the {@code constructed} inventory plugin needs, evaluated without the
 * template engine (the inventory sits below it): variables with {@code .attr} and {@code ['key']}/{@code [0]}
 * access, string, number, boolean and {@code none} literals, {@code == != < <= > >=}, {@code in}, {@code not in},
 * {@code not}, {@code and}, {@code or}, {@code is defined}, {@code is not defined}, {@code is undefined} and
 * parentheses. Anything else (filters, calls, arithmetic) is refused when the inventory is loaded, so an
 * expression is never silently misread.
 */
final class InventoryExpression {
    /** Evaluation touched a variable or key that does not exist (Jinja2's Undefined used in an operation). */
    static final class UndefinedException extends Exception {
        UndefinedException(String message) {
            super(message);
        }
    }

    private static final Object UNDEFINED = new Object() {
        @Override
        public String toString() {
            return "undefined";
        }
    };

    private sealed interface Node permits Literal, Var, Index, Unary, Binary, Test {}

    private record Literal(Object value) implements Node {}

    private record Var(String name) implements Node {}

    private record Index(Node base, Node key) implements Node {}

    private record Unary(String op, Node operand) implements Node {}

    private record Binary(String op, Node left, Node right) implements Node {}

    private record Test(Node operand, String test, boolean negated) implements Node {}

    private final String text;
    private final Node root;

    private InventoryExpression(String text, Node root) {
        this.text = text;
        this.root = root;
    }

    String text() {
        return text;
    }

    static InventoryExpression parse(String text, SourcePosition pos) throws ParseException {
        String body = text.strip();
        // A whole '{{ ... }}' is accepted too, as Ansible templates the expression in such braces anyway.
        if (body.startsWith("{{") && body.endsWith("}}")) body = body.substring(2, body.length() - 2);
        Parser p = new Parser(body, text, pos);
        Node n = p.or();
        p.skipSpace();
        if (p.i < body.length()) throw p.error("unexpected '" + body.substring(p.i) + "'");
        return new InventoryExpression(text, n);
    }

    /** The value; {@link UndefinedException} when it uses an undefined variable in an operation or is one. */
    Object evaluate(Map<String, Object> vars) throws UndefinedException {
        Object v = eval(root, vars);
        if (v == UNDEFINED) throw new UndefinedException("'" + text.strip() + "' is undefined");
        return v;
    }

    boolean test(Map<String, Object> vars) throws UndefinedException {
        return truthy(evaluate(vars));
    }

    private static Object eval(Node n, Map<String, Object> vars) throws UndefinedException {
        switch (n) {
            case Literal l -> {
                return l.value();
            }
            case Var v -> {
                return vars.containsKey(v.name()) ? vars.get(v.name()) : UNDEFINED;
            }
            case Index x -> {
                Object base = defined(eval(x.base(), vars), x.base());
                Object key = defined(eval(x.key(), vars), x.key());
                if (base instanceof Map<?, ?> m) return m.containsKey(String.valueOf(key)) ? m.get(String.valueOf(key))
                        : UNDEFINED;
                if (base instanceof List<?> l && key instanceof Number k) {
                    int i = k.intValue() < 0 ? l.size() + k.intValue() : k.intValue();
                    return i >= 0 && i < l.size() ? l.get(i) : UNDEFINED;
                }
                return UNDEFINED;
            }
            case Unary u -> {
                return !truthy(defined(eval(u.operand(), vars), u.operand()));
            }
            case Test t -> {
                boolean isDefined = eval(t.operand(), vars) != UNDEFINED;
                boolean want = t.test().equals("defined");
                return (isDefined == want) != t.negated();
            }
            case Binary b -> {
                if (b.op().equals("and") || b.op().equals("or")) {
                    Object l = defined(eval(b.left(), vars), b.left());
                    if (truthy(l) == b.op().equals("or")) return l;
                    return defined(eval(b.right(), vars), b.right());
                }
                Object l = defined(eval(b.left(), vars), b.left());
                Object r = defined(eval(b.right(), vars), b.right());
                return switch (b.op()) {
                    case "==" -> same(l, r);
                    case "!=" -> !same(l, r);
                    case "in" -> contains(r, l);
                    case "not in" -> !contains(r, l);
                    default -> compare(b.op(), l, r);
                };
            }
        }
    }

    private static Object defined(Object v, Node n) throws UndefinedException {
        if (v == UNDEFINED) throw new UndefinedException("'" + describe(n) + "' is undefined");
        return v;
    }

    private static String describe(Node n) {
        return switch (n) {
            case Var v -> v.name();
            case Index x -> describe(x.base()) + "[" + describe(x.key()) + "]";
            case Literal l -> String.valueOf(l.value());
            default -> "expression";
        };
    }

    static boolean truthy(Object v) {
        if (v == null || v == UNDEFINED) return false;
        if (v instanceof Boolean b) return b;
        if (v instanceof Number n) return n.doubleValue() != 0;
        if (v instanceof String s) return !s.isEmpty();
        if (v instanceof Map<?, ?> m) return !m.isEmpty();
        if (v instanceof List<?> l) return !l.isEmpty();
        return true;
    }

    private static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y && !(a instanceof Boolean)) {
            return x.doubleValue() == y.doubleValue();
        }
        return Objects.equals(a, b);
    }

    private static boolean contains(Object container, Object item) throws UndefinedException {
        if (container instanceof String s) return item instanceof String i && s.contains(i);
        if (container instanceof List<?> l) return l.stream().anyMatch(x -> same(x, item));
        if (container instanceof Map<?, ?> m) return m.containsKey(String.valueOf(item));
        throw new UndefinedException("'in' needs a string, list or mapping on its right; got " + container);
    }

    private static boolean compare(String op, Object l, Object r) throws UndefinedException {
        int c;
        if (l instanceof Number x && r instanceof Number y) c = Double.compare(x.doubleValue(), y.doubleValue());
        else if (l instanceof String x && r instanceof String y) c = x.compareTo(y);
        else throw new UndefinedException("cannot compare " + l + " " + op + " " + r);
        return switch (op) {
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            default -> c >= 0;
        };
    }

    /** Recursive descent: or > and > not > comparison/in/is > postfix access > atom. */
    private static final class Parser {
        private final String s;
        private final String original;
        private final SourcePosition pos;
        int i;

        Parser(String s, String original, SourcePosition pos) {
            this.s = s;
            this.original = original;
            this.pos = pos;
        }

        ParseException error(String what) {
            return new ParseException(pos, "expression '" + original.strip() + "': " + what + "; fleet supports "
                    + "variables, .attr and [key] access, literals, == != < <= > >=, in, not in, and, or, not, "
                    + "is defined and parentheses (no filters or calls)");
        }

        void skipSpace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }

        boolean word(String w) {
            skipSpace();
            if (!s.startsWith(w, i)) return false;
            int end = i + w.length();
            if (end < s.length() && (Character.isLetterOrDigit(s.charAt(end)) || s.charAt(end) == '_')) return false;
            i = end;
            return true;
        }

        boolean symbol(String sym) {
            skipSpace();
            if (!s.startsWith(sym, i)) return false;
            i += sym.length();
            return true;
        }

        Node or() throws ParseException {
            Node n = and();
            while (word("or")) n = new Binary("or", n, and());
            return n;
        }

        Node and() throws ParseException {
            Node n = not();
            while (word("and")) n = new Binary("and", n, not());
            return n;
        }

        Node not() throws ParseException {
            int save = i;
            if (word("not")) {
                if (word("in")) {
                    i = save;
                } else {
                    return new Unary("not", not());
                }
            }
            return comparison();
        }

        Node comparison() throws ParseException {
            Node left = postfix();
            for (String op : List.of("==", "!=", "<=", ">=", "<", ">")) {
                if (symbol(op)) return new Binary(op, left, postfix());
            }
            int save = i;
            if (word("not") && word("in")) return new Binary("not in", left, postfix());
            i = save;
            if (word("in")) return new Binary("in", left, postfix());
            if (word("is")) {
                boolean negated = word("not");
                if (word("defined")) return new Test(left, "defined", negated);
                if (word("undefined")) return new Test(left, "undefined", negated);
                throw error("only 'is defined' and 'is undefined' tests are supported");
            }
            return left;
        }

        Node postfix() throws ParseException {
            Node n = atom();
            while (true) {
                if (symbol(".")) {
                    n = new Index(n, new Literal(identifier()));
                } else if (symbol("[")) {
                    Node key = or();
                    if (!symbol("]")) throw error("expected ']'");
                    n = new Index(n, key);
                } else {
                    return n;
                }
            }
        }

        Node atom() throws ParseException {
            skipSpace();
            if (i >= s.length()) throw error("expression ends too early");
            char c = s.charAt(i);
            if (c == '(') {
                i++;
                Node n = or();
                if (!symbol(")")) throw error("expected ')'");
                return n;
            }
            if (c == '\'' || c == '"') return new Literal(string(c));
            if (Character.isDigit(c) || (c == '-' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
                int start = i++;
                while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) i++;
                String num = s.substring(start, i);
                return new Literal(num.contains(".") ? (Object) Double.valueOf(num) : (Object) Long.valueOf(num));
            }
            if (Character.isLetter(c) || c == '_') {
                String id = identifier();
                return switch (id) {
                    case "true", "True" -> new Literal(Boolean.TRUE);
                    case "false", "False" -> new Literal(Boolean.FALSE);
                    case "none", "None" -> new Literal(null);
                    default -> {
                        skipSpace();
                        if (i < s.length() && (s.charAt(i) == '(' || s.charAt(i) == '|')) {
                            throw error("'" + s.charAt(i) + "' after '" + id + "' (a call or filter) is not supported");
                        }
                        yield new Var(id);
                    }
                };
            }
            throw error("unexpected '" + s.substring(i) + "'");
        }

        String identifier() throws ParseException {
            skipSpace();
            int start = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) i++;
            if (start == i) throw error("expected a name at '" + s.substring(start) + "'");
            return s.substring(start, i);
        }

        String string(char quote) throws ParseException {
            StringBuilder sb = new StringBuilder();
            i++;
            while (i < s.length() && s.charAt(i) != quote) {
                if (s.charAt(i) == '\\' && i + 1 < s.length()) i++;
                sb.append(s.charAt(i++));
            }
            if (i >= s.length()) throw error("unterminated string");
            i++;
            return sb.toString();
        }
    }
}
