package dev.fleet.template;

import static dev.fleet.template.Args.firstLine;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

/** Serialisation filters: JSON and YAML, both ways. */
final class DataFilters {
    private DataFilters() {}

    static final ObjectMapper JSON = new ObjectMapper();

    static Object fromJson(String s) {
        try {
            return JSON.readValue(s, Object.class);
        } catch (Exception e) {
            throw new FilterFailure("from_json: " + firstLine(e.getMessage()));
        }
    }

    private static Yaml loader() {
        LoaderOptions opts = new LoaderOptions();
        opts.setMaxAliasesForCollections(50);
        opts.setCodePointLimit(16 << 20);
        return new Yaml(new SafeConstructor(opts));
    }

    static Object fromYaml(String s) {
        try {
            return loader().load(s);
        } catch (RuntimeException e) {
            throw new FilterFailure("from_yaml: " + firstLine(e.getMessage()));
        }
    }

    /** {@code from_yaml_all}: every document of a multi-document string, as a list. */
    static Object fromYamlAll(String s) {
        try {
            List<Object> docs = new ArrayList<>();
            for (Object d : loader().loadAll(s)) {
                docs.add(d);
                if (docs.size() > 100_000) throw new FilterFailure("from_yaml_all: more than 100000 documents");
            }
            return docs;
        } catch (FilterFailure e) {
            throw e;
        } catch (RuntimeException e) {
            throw new FilterFailure("from_yaml_all: " + firstLine(e.getMessage()));
        }
    }

    /** Keys in sorted order at every level, as PyYAML's dump writes them. */
    private static Object sortedKeys(Object v, int depth) {
        if (depth > 200) throw new FilterFailure("value nested too deeply for YAML");
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new TreeMap<>();
            for (var e : m.entrySet()) out.put(String.valueOf(e.getKey()), sortedKeys(e.getValue(), depth + 1));
            return new LinkedHashMap<>(out);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) out.add(sortedKeys(o, depth + 1));
            return out;
        }
        return v;
    }

    static String toYaml(Object v, boolean nice, int indent) {
        DumperOptions opts = new DumperOptions();
        opts.setDefaultFlowStyle(nice ? DumperOptions.FlowStyle.BLOCK : DumperOptions.FlowStyle.AUTO);
        opts.setIndent(Math.max(2, Math.min(indent, 9)));
        opts.setAllowUnicode(true);
        opts.setWidth(nice ? 80 : Integer.MAX_VALUE);
        Object plain = sortedKeys(Py.export(v), 0);
        return new Yaml(new Representer(opts), opts).dump(plain);
    }
}
