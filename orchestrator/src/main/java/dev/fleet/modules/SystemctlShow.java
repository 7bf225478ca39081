package dev.fleet.modules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code systemctl show} output as Ansible's systemd module reads it: {@code Key=value} per line, values stripped;
 * an {@code Exec*} value opening with '{' and not closing on its line runs on until a line ending with '}'.
 */
final class SystemctlShow {
    private SystemctlShow() {}

    static Map<String, Object> parse(String out) {
        Map<String, Object> parsed = new LinkedHashMap<>();
        List<String> multi = new ArrayList<>();
        String key = null;
        for (String line : out.split("\n", -1)) {
            if (key == null) {
                int eq = line.indexOf('=');
                if (eq < 0) continue;
                String k = line.substring(0, eq);
                String v = line.substring(eq + 1);
                if (k.startsWith("Exec") && v.stripLeading().startsWith("{") && !v.stripTrailing().endsWith("}")) {
                    key = k;
                    multi.add(v);
                    continue;
                }
                parsed.put(k, v.strip());
            } else {
                multi.add(line);
                if (line.stripTrailing().endsWith("}")) {
                    parsed.put(key, String.join("\n", multi).strip());
                    multi.clear();
                    key = null;
                }
            }
        }
        return parsed;
    }
}
