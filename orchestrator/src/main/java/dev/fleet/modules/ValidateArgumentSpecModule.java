package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.template.TemplateException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code validate_argument_spec}: checks values against an argument spec in Ansible's role format ({@code type},
 * {@code required}, {@code default}, {@code choices}, {@code elements}, {@code aliases}, nested {@code options})
 * on the controller, never touching the host. The values are the task's variables named in the spec, with
 * {@code provided_arguments} over them; a role with {@code meta/argument_specs.yml} starts with this task, its
 * parameters as {@code provided_arguments} (see {@code RoleArgumentSpecs}). Fails with Ansible's message
 * ("Validation of arguments failed:" and one line per error), {@code argument_errors} and
 * {@code argument_spec_data}; returns {@code validate_args_context} as given. Values of {@code no_log} options
 * are masked in the messages.
 */
final class ValidateArgumentSpecModule implements Module {
    private static final String MASK = "********";

    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.dict("argument_spec").required(), Arg.dict("provided_arguments").defaultsTo(Map.of()),
                    Arg.dict("validate_args_context").defaultsTo(Map.of()))
            .build();

    public String name() {
        return "validate_argument_spec";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws ModuleException {
        Map<String, Object> spec = ctx.dict("argument_spec");
        for (var e : spec.entrySet()) {
            if (!(e.getValue() instanceof Map<?, ?>)) {
                throw new ModuleException("argument_spec: the spec of '" + e.getKey() + "' must be a mapping (type,"
                        + " required, default, choices, ...), got " + SpecTypeChecks.pyType(e.getValue()));
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Object> vars = ctx.vars() == null ? Map.of() : ctx.vars();
        for (String name : spec.keySet()) {
            if (vars.containsKey(name)) values.put(name, vars.get(name));
        }
        try {
            // variables may still hold templates (role defaults, play vars); Ansible renders what it checks
            if (ctx.templater() != null) values = strings(ctx.templater().renderDeep(values, vars));
        } catch (TemplateException e) {
            throw new ModuleException("cannot render the variables to validate: " + e.getMessage());
        }
        values.putAll(ctx.dict("provided_arguments"));
        List<String> errors = mask(SpecValidation.validate(spec, values), secrets(spec, values));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("validate_args_context", ctx.dict("validate_args_context"));
        if (errors.isEmpty()) return TaskOutcome.ok("The arg spec validation passed").withData(data);
        data.put("argument_spec_data", spec);
        data.put("argument_errors", errors);
        return new TaskOutcome(TaskStatus.FAILED, null, "", "", "Validation of arguments failed:\n"
                + String.join("\n", errors), data);
    }

    /** The values of top-level {@code no_log} options, as text. */
    private static List<String> secrets(Map<String, Object> spec, Map<String, Object> values) {
        List<String> out = new ArrayList<>();
        SpecValidation.options(spec).forEach((name, option) -> {
            Object v = values.get(name);
            if (Boolean.TRUE.equals(option.get("no_log")) && v != null && !String.valueOf(v).isEmpty()) {
                out.add(SpecTypeChecks.pyStr(v));
            }
        });
        return out;
    }

    private static List<String> mask(List<String> errors, List<String> secrets) {
        if (secrets.isEmpty()) return errors;
        List<String> out = new ArrayList<>();
        for (String e : errors) {
            String m = e;
            for (String s : secrets) m = m.replace(s, MASK);
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> strings(Object rendered) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (rendered instanceof Map<?, ?> m) m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }
}
