package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import java.util.Set;

/** {@code fail}: fails the host with a message, always. */
final class FailModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.of(null, Set.of("msg"), java.util.List.of());

    public String name() {
        return "fail";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome run(ModuleContext ctx) {
        Object msg = ctx.args().get("msg");
        return TaskOutcome.failed(msg == null ? "Failed as requested from task" : DebugModule.text(msg));
    }
}
