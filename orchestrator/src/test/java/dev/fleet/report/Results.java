package dev.fleet.report;

import dev.fleet.result.HostStats;
import dev.fleet.result.RunEvent;
import dev.fleet.result.RunSink;
import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskResult;
import dev.fleet.result.TaskStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Synthetic results and event sequences for the report tests: no SSH, no engine. */
final class Results {
    static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

    private Results() {}

    static TaskResult result(String host, String task, TaskStatus status, Integer rc, String stdout, String stderr,
            String msg) {
        return result(host, "Fix 502", task, "site.yml:" + (10 + Math.abs(task.hashCode() % 50)) + ":7", status, rc,
                stdout, stderr, msg, false, 0, 100);
    }

    static TaskResult result(String host, String play, String task, String source, TaskStatus status, Integer rc,
            String stdout, String stderr, String msg, boolean ignored, long startMs, long durationMs) {
        return new TaskResult(host, play, task, "command", source,
                new TaskOutcome(status, rc, stdout, stderr, msg, Map.of()), ignored,
                T0.plusMillis(startMs), T0.plusMillis(startMs + durationMs));
    }

    static TaskResult failed(String host, String task, String msg, String stderr) {
        return result(host, task, TaskStatus.FAILED, 1, "", stderr, msg);
    }

    static TaskResult unreachable(String host, String task, String msg) {
        return result(host, task, TaskStatus.UNREACHABLE, null, "", "", msg);
    }

    /** A whole run: RunStarted, per play PlayStarted, TaskStarted + results per task, PlayFinished, RunFinished. */
    static final class Run {
        final String playbook;
        final List<RunEvent> events = new ArrayList<>();
        final Map<String, HostStats> stats = new LinkedHashMap<>();
        long clock;

        Run(String playbook, List<String> hosts) {
            this.playbook = playbook;
            events.add(new RunEvent.RunStarted(playbook, hosts, T0));
            hosts.forEach(h -> stats.put(h, HostStats.EMPTY));
        }

        Run play(String name, List<String> hosts) {
            events.add(new RunEvent.PlayStarted(name, hosts, T0.plusMillis(clock)));
            return this;
        }

        Run task(String play, String task, String source, int hosts) {
            events.add(new RunEvent.TaskStarted(play, task, source, hosts, T0.plusMillis(clock)));
            return this;
        }

        Run result(TaskResult r) {
            events.add(new RunEvent.HostTaskFinished(r, r.end()));
            stats.merge(r.host(), HostStats.EMPTY.plus(r.status(), r.ignored() && r.status() == TaskStatus.FAILED),
                    HostStats::plus);
            clock = Math.max(clock, java.time.Duration.between(T0, r.end()).toMillis());
            return this;
        }

        Run endPlay(String play) {
            return endPlay(play, null);
        }

        Run endPlay(String play, String abortReason) {
            events.add(new RunEvent.PlayFinished(play, abortReason, T0.plusMillis(clock)));
            return this;
        }

        List<RunEvent> finish(boolean interrupted) {
            events.add(new RunEvent.RunFinished(stats, interrupted, T0.plusMillis(clock + 5)));
            return events;
        }

        void feed(RunSink sink) throws Exception {
            if (!(events.get(events.size() - 1) instanceof RunEvent.RunFinished)) finish(false);
            events.forEach(sink::accept);
            sink.close();
        }
    }

    /** The nginx 502 playbook on hosts web01..webNN with a mix of outcomes, as most report tests use it. */
    static Run sampleRun(int hosts) {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= hosts; i++) names.add(String.format("web%02d", i));
        Run run = new Run("playbooks/nginx-502-recovery.yml", names);
        String play = "Fix 502 Bad Gateway";
        run.play(play, names);
        String[][] tasks = {{"Gather facts", "setup"}, {"nginx config is valid", "command"},
                {"Step 2 upstream socket", "stat"}, {"Restart php-fpm", "service"}};
        long t = 0;
        List<String> alive = new ArrayList<>(names);
        for (int k = 0; k < tasks.length; k++) {
            String source = "playbooks/nginx-502-recovery.yml:" + (10 + 7 * k) + ":7";
            run.task(play, tasks[k][0], source, alive.size());
            List<String> next = new ArrayList<>();
            for (int h = 0; h < alive.size(); h++) {
                String host = alive.get(h);
                int n = names.indexOf(host) + 1;
                TaskStatus st = TaskStatus.OK;
                String msg = "", out = "", err = "";
                Integer rc = 0;
                if (k == 0 && n % 10 == 7) {
                    st = TaskStatus.UNREACHABLE;
                    rc = null;
                    msg = "connect to 10.0.1." + n + ":22 (" + host + ") refused: nothing listens there; is sshd running and is ansible_port right?";
                } else if (k == 1) {
                    st = TaskStatus.OK;
                    out = "nginx: the configuration file /etc/nginx/nginx.conf syntax is ok";
                } else if (k == 2 && n % 3 == 0) {
                    st = TaskStatus.FAILED;
                    rc = 1;
                    msg = "non-zero return code";
                    err = "2026/11/25 12:56:" + String.format("%02d", n % 60) + " [crit] " + (90 + n) + "#" + (90 + n)
                            + ": *" + (n * 3) + " connect() to unix:/run/php/php8.3-fpm.sock failed (2: No such file or directory) "
                            + "while connecting to upstream, client: 10.0.0." + n + ", server: " + host
                            + ".example.com, request: \"GET / HTTP/1.1\", upstream: \"fastcgi://unix:/run/php/php8.3-fpm.sock:\", host: \"10.0.1." + n + "\"";
                } else if (k == 2 && n % 5 == 0) {
                    st = TaskStatus.SKIPPED;
                    msg = "conditional result was false";
                } else if (k == 3) {
                    st = n % 2 == 0 ? TaskStatus.CHANGED : TaskStatus.OK;
                    out = "restarted <script>alert(1)</script> & done";
                }
                long dur = 20 + (n * 7 + k * 13) % 90;
                run.result(result(host, play, tasks[k][0], source, st, rc, out, err, msg, false, t, dur));
                if (st != TaskStatus.FAILED && st != TaskStatus.UNREACHABLE) next.add(host);
            }
            t += 120;
            alive = next;
        }
        run.endPlay(play);
        return run;
    }
}
