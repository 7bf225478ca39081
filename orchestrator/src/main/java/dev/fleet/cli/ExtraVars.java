package dev.fleet.cli;

import dev.fleet.modules.KeyValueSplitter;
import dev.fleet.vault.Vault;
import dev.fleet.yaml.ParseException;
import dev.fleet.yaml.SourcePosition;
import dev.fleet.yaml.YamlLoader;
import dev.fleet.yaml.YamlNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code -e} values as Ansible takes them: {@code k=v k2=v2}, {@code @file.yml}, or inline JSON/YAML. */
final class ExtraVars {
    private ExtraVars() {}

    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(List<String> values) throws ParseException {
        return parse(values, Vault.NONE);
    }

    /** {@code @file} values may be vault-encrypted, or hold {@code !vault} values: {@code vault} decrypts them. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(List<String> values, Vault vault) throws ParseException {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String v : values) {
            String s = v.strip();
            if (s.startsWith("@")) {
                YamlNode n = YamlLoader.load(Path.of(s.substring(1)), vault);
                if (n == null) continue;
                if (!(n instanceof YamlNode.Mapping m)) {
                    throw new ParseException(n.position(), "extra vars file must hold a mapping of names to values");
                }
                out.putAll((Map<String, Object>) m.toPlain());
            } else if (s.startsWith("{")) {
                YamlNode n = YamlLoader.load(s, "-e '" + s + "'", vault);
                if (!(n instanceof YamlNode.Mapping m)) {
                    throw new ParseException(SourcePosition.of("-e"), "expected a JSON object");
                }
                out.putAll((Map<String, Object>) m.toPlain());
            } else {
                // the same key=value rules as free-form module arguments: quotes, {{ }} kept whole
                KeyValueSplitter.Parsed kv;
                try {
                    kv = KeyValueSplitter.parse(s, null);
                } catch (KeyValueSplitter.Unbalanced e) {
                    throw new ParseException(SourcePosition.of("-e"), e.getMessage());
                }
                if (kv.rawParams() != null) {
                    throw new ParseException(SourcePosition.of("-e"), "'" + kv.rawParams().strip()
                            + "' is not key=value; use -e key=value, -e @vars.yml or -e '{\"key\": 1}'");
                }
                out.putAll(kv.options());
            }
        }
        return out;
    }
}
