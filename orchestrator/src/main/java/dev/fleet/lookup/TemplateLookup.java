package dev.fleet.lookup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code template}: controller-side template files, found in {@code templates/} of the search path, rendered
 * with the task's variables plus {@code template_vars}. The result is always the rendered text.
 */
final class TemplateLookup implements Lookup {
    @Override
    public String name() {
        return "template";
    }

    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options, LookupContext ctx)
            throws LookupException {
        Object extra = options.getOrDefault("template_vars", Map.of());
        if (!(extra instanceof Map<?, ?> templateVars)) {
            throw new LookupException("option template_vars must be a dict, got " + Terms.describe(extra));
        }
        List<Object> out = new ArrayList<>();
        for (Object term : terms) {
            String name = Terms.string(term, "template");
            Path file = ctx.find("templates", name).filter(Files::isRegularFile).orElseThrow(() -> new LookupException(
                    "the template file " + name + " could not be found for the lookup (searched " + ctx.searchDirs()
                            + ", and templates/ in each)"));
            Map<String, Object> vars = new LinkedHashMap<>();
            // The variables Ansible gives every template about itself; template_vars win over them.
            vars.put("template_path", name);
            vars.put("template_fullpath", file.toAbsolutePath().toString());
            vars.put("template_host", hostName());
            vars.put("template_uid", System.getProperty("user.name"));
            for (var e : templateVars.entrySet()) vars.put(String.valueOf(e.getKey()), e.getValue());
            out.add(ctx.renderer().render(FileLookup.read(file, name), vars));
        }
        return out;
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }
}
