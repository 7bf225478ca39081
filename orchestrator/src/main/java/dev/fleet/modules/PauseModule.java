package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code pause}: waits {@code seconds} or {@code minutes} on the controller, never touching the host, also in
 * check mode. Returns {@code start}/{@code stop} (local time with microseconds), {@code delta} (whole seconds),
 * {@code stdout} ("Paused for 5.0 seconds"), {@code echo} and an empty {@code user_input}, as Ansible does. As in
 * Ansible a duration below one second waits one second. fleet is not interactive: a pause with no duration (which
 * in Ansible waits for Enter, with or without {@code prompt}) is refused.
 */
final class PauseModule implements Module {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.integer("seconds"), Arg.integer("minutes"), Arg.str("prompt"), Arg.bool("echo").defaultsTo(true))
            .mutuallyExclusive("minutes", "seconds")
            .build();

    /** Sleeps; replaced in tests. */
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final Sleeper sleeper;

    PauseModule() {
        this(d -> Thread.sleep(d));
    }

    PauseModule(Sleeper sleeper) {
        this.sleeper = sleeper;
    }

    public String name() {
        return "pause";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws ModuleException {
        boolean minutes = ctx.has("minutes");
        if (!minutes && !ctx.has("seconds")) {
            throw new ModuleException(ctx.has("prompt")
                    ? "pause with 'prompt' and no 'seconds' or 'minutes' waits for input, and fleet is not"
                            + " interactive; give 'seconds' or 'minutes'"
                    : "pause without 'seconds' or 'minutes' waits for a key press, and fleet is not interactive;"
                            + " give 'seconds' or 'minutes'");
        }
        int amount = ctx.integer(minutes ? "minutes" : "seconds");
        long seconds = Math.max(1L, minutes ? amount * 60L : amount);
        LocalDateTime start = LocalDateTime.now();
        long t0 = System.nanoTime();
        try {
            sleeper.sleep(Duration.ofSeconds(seconds));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return TaskOutcome.failed("pause interrupted");
        }
        long elapsed = Duration.ofNanos(System.nanoTime() - t0).toSeconds();
        LocalDateTime stop = start.plusNanos(System.nanoTime() - t0);
        double shown = minutes ? seconds / 60.0 : seconds;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("start", STAMP.format(start));
        data.put("stop", STAMP.format(stop));
        data.put("delta", elapsed);
        data.put("echo", ctx.bool("echo"));
        data.put("user_input", "");
        TaskOutcome o = new TaskOutcome(TaskStatus.OK, 0,
                "Paused for " + shown + (minutes ? " minutes" : " seconds"), "", "", Map.of());
        return o.withData(data);
    }
}
