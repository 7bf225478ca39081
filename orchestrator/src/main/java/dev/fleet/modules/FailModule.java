package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;

/** {@code fail}: fails the host with a message, always. */
final class FailModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.raw("msg").defaultsTo("Failed as requested from task")).build();

    public String name() {
        return "fail";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) {
        return TaskOutcome.failed(OutputText.text(ctx.raw("msg")));
    }
}
