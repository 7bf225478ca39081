package dev.fleet.lookup;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code csvfile}: a column of the first row whose first column is the key, from a controller-side CSV or
 * TSV file found in {@code files/}. Options: {@code file} (ansible.csv), {@code delimiter} (TAB), {@code col}
 * (1, counting from 0), {@code default} (nothing), {@code encoding}; a term may also carry them inline
 * ({@code 'beta file=d.csv delimiter=,'}). Quoting is Python's csv "excel" dialect: {@code "a, ""b"""}.
 */
final class CsvfileLookup implements Lookup {
    private static final Map<String, Object> DEFAULTS = Map.of("file", "ansible.csv", "delimiter", "TAB",
            "col", "1", "encoding", "utf-8");

    @Override
    public String name() {
        return "csvfile";
    }

    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options, LookupContext ctx)
            throws LookupException {
        List<Object> out = new ArrayList<>();
        for (Object term : terms) {
            Map<String, Object> o = new HashMap<>(DEFAULTS);
            o.putAll(options);
            Map<String, String> kv = Terms.parseKv(Terms.string(term, "csvfile"));
            String key = kv.remove("_raw_params");
            if (key == null) throw new LookupException(
                    "Search key is required but was not found in csvfile term '" + term + "'");
            o.putAll(kv);
            for (String k : o.keySet()) {
                if (!DEFAULTS.containsKey(k) && !k.equals("default")) {
                    throw new LookupException(k + " is not a valid option of the csvfile lookup;"
                            + " it takes file, delimiter, col, default, encoding");
                }
            }
            String delimiter = String.valueOf(o.get("delimiter"));
            if (delimiter.equals("TAB") || delimiter.equals("\\t")) delimiter = "\t";
            if (delimiter.length() != 1) throw new LookupException(
                    "csvfile: delimiter must be one character, got '" + delimiter + "'");
            long col = Terms.integer(o.get("col"), "col");
            String file = String.valueOf(o.get("file"));
            Path path = ctx.find("files", file).filter(Files::isRegularFile).orElseThrow(() ->
                    new LookupException("csvfile: could not locate file in lookup: " + file + " (searched "
                            + ctx.searchDirs() + ")"));
            String text;
            try {
                FileLookup.checkSize(path, "csvfile: " + file);
                text = Files.readString(path, Charset.forName(String.valueOf(o.get("encoding"))));
            } catch (IOException | IllegalArgumentException e) {
                throw new LookupException("csvfile: could not read " + path + ": " + e.getMessage(), e);
            }
            Object found = o.get("default");
            for (List<String> row : rows(text, delimiter.charAt(0))) {
                if (!row.isEmpty() && row.get(0).equals(key)) {
                    long i = col < 0 ? row.size() + col : col;
                    if (i < 0 || i >= row.size()) {
                        throw new LookupException("csvfile: the row for '" + key + "' has " + row.size()
                                + " columns, so there is no col=" + col + " (columns count from 0)");
                    }
                    found = row.get((int) i);
                    break;
                }
            }
            if (found != null) out.add(found);
        }
        return out;
    }

    /** Rows of CSV text: fields split on the delimiter, double-quoted fields may hold it, "" is a quote. */
    static List<List<String>> rows(String text, char delimiter) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false, fieldStarted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.isEmpty() && !fieldStarted) {
                quoted = true;
                fieldStarted = true;
            } else if (c == delimiter) {
                row.add(field.toString());
                field.setLength(0);
                fieldStarted = false;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') i++;
                if (!row.isEmpty() || fieldStarted || !field.isEmpty()) row.add(field.toString());
                rows.add(row); // an empty line is an empty row, as Python's csv gives it
                row = new ArrayList<>();
                field.setLength(0);
                fieldStarted = false;
            } else {
                field.append(c);
                fieldStarted = true;
            }
        }
        if (!row.isEmpty() || fieldStarted || !field.isEmpty()) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }
}
