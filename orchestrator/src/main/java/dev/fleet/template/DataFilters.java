package dev.fleet.template;

import static dev.fleet.template.Args.*;

import com.fasterxml.jackson.databind.ObjectMapper;
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

    static Object fromYaml(String s) {
        try {
            LoaderOptions opts = new LoaderOptions();
            opts.setMaxAliasesForCollections(50);
            opts.setCodePointLimit(16 << 20);
            return new Yaml(new SafeConstructor(opts)).load(s);
        } catch (RuntimeException e) {
            throw new FilterFailure("from_yaml: " + firstLine(e.getMessage()));
        }
    }

    static String toYaml(Object v, boolean nice, int indent) {
        DumperOptions opts = new DumperOptions();
        opts.setDefaultFlowStyle(nice ? DumperOptions.FlowStyle.BLOCK : DumperOptions.FlowStyle.AUTO);
        opts.setIndent(Math.max(2, Math.min(indent, 9)));
        opts.setAllowUnicode(true);
        opts.setWidth(nice ? 80 : Integer.MAX_VALUE);
        Object plain = Py.export(v);
        return new Yaml(new Representer(opts), opts).dump(plain);
    }
}
