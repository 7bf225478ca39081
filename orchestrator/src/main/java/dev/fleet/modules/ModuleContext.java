package dev.fleet.modules;

import dev.fleet.transport.HostSession;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything a module sees when it runs on one host: the open session, its rendered arguments, whether this is
 * a check run, and the per-task timeout.
 */
public record ModuleContext(HostSession session, Map<String, Object> args, boolean check, Duration timeout) {

    public ModuleContext {
        args = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(args));
    }

    public boolean has(String name) {
        return args.get(name) != null;
    }

    public String string(String name) {
        Object v = args.get(name);
        return v == null ? null : String.valueOf(v);
    }

    public String string(String name, String dflt) {
        String s = string(name);
        return s == null ? dflt : s;
    }

    public boolean bool(String name, boolean dflt) throws ModuleException {
        Object v = args.get(name);
        if (v == null) return dflt;
        if (v instanceof Boolean b) return b;
        return switch (String.valueOf(v).strip().toLowerCase()) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new ModuleException("argument '" + name + "' must be a boolean, found '" + v + "'");
        };
    }

    public List<String> stringList(String name) throws ModuleException {
        Object v = args.get(name);
        if (v == null) return List.of();
        if (v instanceof List<?> l) return l.stream().map(String::valueOf).toList();
        throw new ModuleException("argument '" + name + "' must be a list, found '" + v + "'");
    }
}
