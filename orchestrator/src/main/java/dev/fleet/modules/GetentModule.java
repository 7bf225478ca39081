package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code getent}: one {@code getent} call on the host, returned as Ansible shapes it under
 * {@code ansible_facts.getent_<database>}: each line's first field is the key and the rest its list of values
 * (split on {@code :} for passwd, group, shadow and gshadow, else on whitespace, or on {@code split}); a key seen
 * on several lines holds the list of each line's values. A missing key fails, or with {@code fail_key: false}
 * maps to null. Never changes anything.
 */
final class GetentModule implements Module {
    private static final Set<String> COLON_DATABASES = Set.of("passwd", "group", "shadow", "gshadow");

    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.str("database").required(), Arg.str("key").defaultsTo(""), Arg.str("service"),
                    Arg.str("split"), Arg.bool("fail_key").defaultsTo(true))
            .build();

    public String name() {
        return "getent";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException {
        String database = ctx.str("database");
        String key = ctx.str("key");
        StringBuilder cmd = new StringBuilder("getent");
        if (ctx.has("service")) cmd.append(" -s ").append(ShellQuote.quote(ctx.str("service")));
        cmd.append(' ').append(ShellQuote.quote(database));
        if (!key.isEmpty()) cmd.append(' ').append(ShellQuote.quote(key));
        CommandResult r = ctx.session().exec(cmd.toString(), ctx.timeout());
        String fact = "getent_" + database;
        switch (r.exitCode()) {
            case 0 -> {
                String split = ctx.str("split");
                if (split == null && COLON_DATABASES.contains(database)) split = ":";
                return TaskOutcome.ok("").withData(Map.of("ansible_facts", Map.of(fact, parse(r.stdout(), split))));
            }
            case 1 -> {
                return TaskOutcome.failed("Missing arguments, or database unknown.");
            }
            case 2 -> {
                String msg = "One or more supplied key could not be found in the database.";
                if (ctx.bool("fail_key")) return TaskOutcome.failed(msg);
                Map<String, Object> missing = new LinkedHashMap<>();
                missing.put(key, null);
                return TaskOutcome.ok(msg).withData(Map.of("ansible_facts", Map.of(fact, missing)));
            }
            case 3 -> {
                return TaskOutcome.failed("Enumeration not supported on this database.");
            }
            default -> {
                String err = r.stderr().strip();
                return TaskOutcome.failed(err.isEmpty() ? "getent failed with exit code " + r.exitCode() : err);
            }
        }
    }

    /** Lines to {key: values}, or {key: [values, values, ...]} for a key seen more than once. */
    static Map<String, Object> parse(String out, String split) {
        Map<String, List<List<String>>> seen = new LinkedHashMap<>();
        for (String line : out.split("\n", -1)) {
            if (line.isBlank()) continue;
            List<String> fields = split == null ? Arrays.asList(line.strip().split("\\s+"))
                    : Arrays.asList(line.split(java.util.regex.Pattern.quote(split), -1));
            seen.computeIfAbsent(fields.get(0), k -> new ArrayList<>()).add(List.copyOf(fields.subList(1,
                    fields.size())));
        }
        Map<String, Object> result = new LinkedHashMap<>();
        seen.forEach((k, rows) -> result.put(k, rows.size() == 1 ? rows.get(0) : List.copyOf(rows)));
        return result;
    }
}
