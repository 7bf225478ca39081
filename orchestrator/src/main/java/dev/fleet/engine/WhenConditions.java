package dev.fleet.engine;

import dev.fleet.result.TaskOutcome;
import dev.fleet.template.TemplateException;
import dev.fleet.template.Templater;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A task's {@code when}: the first condition that does not hold, and the skipped result Ansible gives then. */
final class WhenConditions {
    private WhenConditions() {}

    static final String SKIPPED = "Conditional result was False";

    /** The first of {@code when} that is false with {@code vars}, or null when all hold. */
    static String firstFalse(Templater templater, List<String> when, Map<String, Object> vars)
            throws TemplateException {
        for (String cond : when) {
            if (!templater.evaluate(cond, vars)) return cond;
        }
        return null;
    }

    /** The skipped result; {@code falseCondition} is named in it when there is one. */
    static TaskOutcome skipped(String falseCondition) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (falseCondition != null) data.put("false_condition", falseCondition);
        data.put("skip_reason", SKIPPED);
        return TaskOutcome.skipped(SKIPPED).withData(data);
    }
}
