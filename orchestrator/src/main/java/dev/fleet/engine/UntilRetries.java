package dev.fleet.engine;

import dev.fleet.modules.ModuleException;
import dev.fleet.playbook.Keywords;
import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.template.TemplateException;
import dev.fleet.template.Templater;
import dev.fleet.transport.TransportException;
import dev.fleet.yaml.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code until}/{@code retries}/{@code delay}: runs an attempt until the conditions hold, at most {@code retries}
 * more times. An attempt that loses the host is retried like one whose conditions are false (the next attempt
 * connects again; Ansible gives up at the first lost connection): the result lists those attempts in
 * {@code unreachable_attempts}, and is unreachable only when the last attempt was. A host key or login that is
 * refused ends the task at once: waiting does not change it.
 */
final class UntilRetries {
    private UntilRetries() {}

    /** One attempt of the task (its module run through the host's session). */
    interface Attempt {
        TaskOutcome run() throws TemplateException, TransportException, ParseException, ModuleException;
    }

    static TaskOutcome run(Templater templater, Keywords k, Map<String, Object> vars, Attempt attempt)
            throws TemplateException, TransportException, ParseException, ModuleException {
        int attempts = 0;
        List<Integer> unreachable = new ArrayList<>();
        while (true) {
            attempts++;
            TaskOutcome o;
            try {
                o = attempt.run();
            } catch (TransportException e) {
                if (e.kind() != TransportException.Kind.UNREACHABLE) throw e;
                o = TaskOutcome.unreachable(e.getMessage());
            }
            boolean done = false;
            if (o.status() == TaskStatus.UNREACHABLE) {
                unreachable.add(attempts);
            } else {
                Map<String, Object> withResult = Registered.visible(vars, k, o);
                done = true;
                for (String cond : k.until()) done &= templater.evaluate(cond, withResult);
            }
            if (done) return withAttempts(o, attempts, unreachable);
            if (attempts > k.retries()) {
                if (o.status() == TaskStatus.UNREACHABLE) return withAttempts(o, attempts, unreachable);
                return withAttempts(new TaskOutcome(TaskStatus.FAILED, o.rc(), o.stdout(), o.stderr(), "Retried "
                        + k.retries() + " times and '" + String.join(" and ", k.until()) + "' is still false"
                        + (o.msg().isEmpty() ? "" : "; last: " + o.msg()), o.data()),
                        k.retries(), unreachable); // what ansible-core 2.14 reports here
            }
            try {
                Thread.sleep(k.delay());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return TaskOutcome.failed("interrupted while waiting to retry");
            }
        }
    }

    /** {@code attempts}, and which of them lost the host (only when one did). */
    private static TaskOutcome withAttempts(TaskOutcome o, int attempts, List<Integer> unreachable) {
        if (unreachable.isEmpty()) return o.withData(Map.of("attempts", attempts));
        return o.withData(Map.of("attempts", attempts, "unreachable_attempts", List.copyOf(unreachable)));
    }
}
