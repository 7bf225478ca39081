package dev.fleet.playbook;

import dev.fleet.yaml.ParseException;
import dev.fleet.yaml.SourcePosition;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code key=value key2="quoted value"}: the free form of the actions the parser handles itself. */
final class KeyValues {
    private KeyValues() {}

    static Map<String, Object> parse(String text, SourcePosition at) throws ParseException {
        Map<String, Object> out = new LinkedHashMap<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(text.charAt(i))) i++;
            if (i >= n) break;
            int eq = text.indexOf('=', i);
            int space = indexOfSpace(text, i);
            if (eq < 0 || (space >= 0 && space < eq)) {
                throw new ParseException(at, "expected key=value pairs, found '" + text.substring(i,
                        space < 0 ? n : space) + "'");
            }
            String key = text.substring(i, eq).strip();
            i = eq + 1;
            StringBuilder v = new StringBuilder();
            char quote = 0;
            for (; i < n; i++) {
                char c = text.charAt(i);
                if (quote != 0) {
                    if (c == quote) quote = 0;
                    else v.append(c);
                } else if (c == '"' || c == '\'') {
                    quote = c;
                } else if (Character.isWhitespace(c)) {
                    break;
                } else {
                    v.append(c);
                }
            }
            out.put(key, v.toString());
        }
        return out;
    }

    private static int indexOfSpace(String s, int from) {
        for (int i = from; i < s.length(); i++) if (Character.isWhitespace(s.charAt(i))) return i;
        return -1;
    }
}
