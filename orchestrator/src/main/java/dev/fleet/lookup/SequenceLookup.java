package dev.fleet.lookup;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IllegalFormatException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code sequence}: numbers as formatted strings. Each term is either the shortcut
 * {@code [start-]end[/stride][:format]} or {@code key=value} words ({@code start end count stride format}).
 *
 * <p>Keyword options ({@code query('sequence', start=1, end=3)}) are defaults that each term's own values
 * override, and keywords alone describe one sequence. ansible-core 2.14 ignores keyword options (it returns
 * an empty list for them); later ansible-core versions read them this way, and so does fleet.
 */
final class SequenceLookup implements Lookup {
    private static final String NUM = "(0?x?[0-9a-f]+)";
    private static final Pattern SHORTCUT = Pattern.compile(
            "^(" + NUM + "-)?" + NUM + "(/" + NUM + ")?(:(.+))?$", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final List<String> KEYS = List.of("start", "end", "count", "stride", "format");
    private static final int MAX_ITEMS = 1_000_000;
    private static final Pattern FLOAT = Pattern.compile("%[^a-zA-Z%]*[eEfFgG]");

    @Override
    public String name() {
        return "sequence";
    }

    /** One sequence's settings while a term is read; null means not given. */
    private static final class Spec {
        long start = 1;
        Long end;
        Long count;
        long stride = 1;
        String format = "%d";
    }

    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options, LookupContext ctx)
            throws LookupException {
        Map<String, String> defaults = new HashMap<>();
        for (var e : options.entrySet()) {
            if (e.getValue() != null) defaults.put(e.getKey(), String.valueOf(e.getValue()));
        }
        List<Object> effective = terms.isEmpty() && !defaults.isEmpty() ? List.of("") : terms;
        List<Object> out = new ArrayList<>();
        for (Object term : effective) {
            Spec spec = new Spec();
            apply(spec, new HashMap<>(defaults));
            String text = Terms.string(term, "sequence").strip();
            if (!shortcut(spec, text)) apply(spec, Terms.parseKv(text));
            generate(spec, out);
        }
        return out;
    }

    private static boolean shortcut(Spec spec, String term) throws LookupException {
        Matcher m = SHORTCUT.matcher(term);
        if (!m.matches()) return false;
        if (m.group(2) != null) spec.start = Terms.pythonInt(m.group(2), "start");
        spec.end = Terms.pythonInt(m.group(3), "end");
        if (m.group(5) != null) spec.stride = Terms.pythonInt(m.group(5), "stride");
        if (m.group(7) != null) spec.format = m.group(7);
        return true;
    }

    private static void apply(Spec spec, Map<String, String> kv) throws LookupException {
        String v;
        if ((v = kv.remove("start")) != null) spec.start = Terms.pythonInt(v, "start");
        if ((v = kv.remove("end")) != null) spec.end = Terms.pythonInt(v, "end");
        if ((v = kv.remove("count")) != null) spec.count = Terms.pythonInt(v, "count");
        if ((v = kv.remove("stride")) != null) spec.stride = Terms.pythonInt(v, "stride");
        if ((v = kv.remove("format")) != null) spec.format = v;
        if (!kv.isEmpty()) {
            throw new LookupException("unrecognized arguments to with_sequence: " + kv.keySet()
                    + "; it takes " + String.join(", ", KEYS) + ", or the form [start-]end[/stride][:format]");
        }
    }

    private static void generate(Spec s, List<Object> out) throws LookupException {
        if (s.count == null && s.end == null) throw new LookupException("must specify count or end in with_sequence");
        if (s.count != null && s.end != null) throw new LookupException(
                "can't specify both count and end in with_sequence");
        long end;
        if (s.count != null) {
            if (s.count == 0) return; // count=0 is an empty sequence, whatever the start
            end = s.start + s.count * s.stride - 1;
        } else {
            end = s.end;
        }
        if (s.stride > 0 && end < s.start) throw new LookupException("to count backwards make stride negative");
        if (s.stride < 0 && end > s.start) throw new LookupException("to count forward don't make stride negative");
        String format = javaFormat(s.format);
        if (s.stride == 0) return;
        long n = (end - s.start) / s.stride + 1;
        if (n > MAX_ITEMS) throw new LookupException("with_sequence would produce " + n + " items, more than "
                + MAX_ITEMS + "; use a larger stride or a shorter range");
        for (long i = s.start; s.stride > 0 ? i <= end : i >= end; i += s.stride) {
            try {
                out.add(String.format(Locale.ROOT, format, FLOAT.matcher(format).find() ? (Object) (double) i : i));
            } catch (IllegalFormatException e) {
                throw new LookupException("problem formatting " + i + " with '" + s.format + "'");
            }
        }
    }

    /** A printf format with one {@code %} conversion, in Java's spelling ({@code %i} and {@code %u} are %d). */
    private static String javaFormat(String format) throws LookupException {
        if (format.chars().filter(c -> c == '%').count() != 1) {
            throw new LookupException("bad formatting string: " + format + " (it needs exactly one %, e.g. host%02d)");
        }
        return format.replaceAll("%([-#0 +]*\\d*)[iu]", "%$1d");
    }
}
