package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code set_stats}: custom stats for the run report. Touches no host; returns {@code ansible_stats}
 * ({@code data}, {@code per_host}, {@code aggregate}) as Ansible does, and the engine adds it to the run's custom
 * stats, which the JSON report ({@code custom_stats}, {@code global_custom_stats}) and the console summary show.
 * Never changed; runs in check mode too.
 */
final class SetStatsModule implements Module {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.raw("data").defaultsTo(Map.of()), Arg.bool("per_host").defaultsTo(false),
                    Arg.bool("aggregate").defaultsTo(true))
            .build();

    public String name() {
        return "set_stats";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws ModuleException {
        if (!(ctx.raw("data") instanceof Map<?, ?> given)) {
            return TaskOutcome.failed("The 'data' option needs to be a dictionary/hash");
        }
        Map<String, Object> data = new LinkedHashMap<>();
        for (var e : given.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (!NAME.matcher(key).matches()) {
                return TaskOutcome.failed("The variable name '" + key + "' is not valid. Variables must start with a"
                        + " letter or underscore character, and contain only letters, numbers and underscores.");
            }
            data.put(key, e.getValue());
        }
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("data", data);
        stats.put("per_host", ctx.bool("per_host"));
        stats.put("aggregate", ctx.bool("aggregate"));
        return TaskOutcome.ok("").withData(Map.of("ansible_stats", stats));
    }
}
