package dev.fleet.modules;

import dev.fleet.shell.ShellQuote;
import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.template.RegexSubject;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code wait_for}: waits, on the host, until a TCP port accepts connections (or stops), a file or unix socket
 * appears (or goes), or a file contains {@code search_regex}. One command runs the whole polling loop in POSIX
 * sh; TCP is probed with bash's {@code /dev/tcp}, else {@code nc -z}, else the listening sockets in
 * {@code ss -ltn} or {@code /proc/net/tcp}.
 */
final class WaitForModule implements Module {
    /** state=drained is not supported; exclude_hosts and active_connection_states only matter to it. */
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.str("host").defaultsTo("127.0.0.1"), Arg.integer("port"), Arg.path("path"),
                    Arg.str("search_regex"),
                    Arg.str("state").choices("absent", "present", "started", "stopped").defaultsTo("started"),
                    Arg.integer("timeout").defaultsTo(300), Arg.integer("delay").defaultsTo(0),
                    Arg.integer("sleep").defaultsTo(1), Arg.integer("connect_timeout").defaultsTo(5),
                    Arg.str("msg"), Arg.list("exclude_hosts", ArgType.STR),
                    Arg.list("active_connection_states", ArgType.STR))
            .mutuallyExclusive("port", "path")
            .mutuallyExclusive("port", "search_regex")
            .build();

    /** The loop. Variables h, p, f, re, mode, timeout, delay, nap, ct are set before it. Exit 0 ok, 3 timeout. */
    private static final String LOOP = """
            now_ms() {
              t=$(date +%s%N 2>/dev/null)
              case $t in ''|*[!0-9]*) t=$(( $(date +%s) * 1000 ));; *) t=$(( t / 1000000 ));; esac
              echo "$t"
            }
            hexport=$(printf '%04X' "$p" 2>/dev/null)
            port_open() {
              if command -v bash >/dev/null 2>&1; then
                if command -v timeout >/dev/null 2>&1; then
                  timeout "$ct" bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$h" "$p" 2>/dev/null; return $?
                fi
                bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$h" "$p" 2>/dev/null; return $?
              fi
              if command -v nc >/dev/null 2>&1; then nc -z -w "$ct" "$h" "$p" >/dev/null 2>&1; return $?; fi
              if command -v ss >/dev/null 2>&1; then
                ss -ltnH 2>/dev/null | awk -v h="$h" -v p="$p" '{ a=$4; sub(/:[0-9]+$/, "", a); q=substr($4, length(a)+2)
                  if (q == p && (a == h || a == "*" || a == "0.0.0.0" || a == "[::]" || a == "[" h "]")) f=1 }
                  END { exit f ? 0 : 1 }'; return $?
              fi
              cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk -v x=":$hexport" '$4 == "0A" && substr($2, length($2)-4) == x { f=1 } END { exit f ? 0 : 1 }'
            }
            # search_regex is Python's re syntax: PCRE (grep -P) reads \\d, \\w, (?P<name>...) as Python does
            if echo x | grep -P -q 'x' 2>/dev/null; then grep='grep -P'; else grep='grep -E'; fi
            ready() {
              case $mode in
                port-up) port_open ;;
                port-down) ! port_open ;;
                path-up) [ -e "$f" ] ;;
                path-down) [ ! -e "$f" ] ;;
                regex) [ -f "$f" ] && $grep -q -e "$re" "$f" 2>/dev/null ;;
                sleep) false ;;
              esac
            }
            [ "$delay" -gt 0 ] && sleep "$delay"
            start=$(now_ms)
            end=$(( start + timeout * 1000 ))
            while :; do
              if ready; then
                echo "elapsed_ms=$(( $(now_ms) - start ))"
                [ "$mode" = regex ] && echo "match=$($grep -m 1 -e "$re" "$f" 2>/dev/null)"
                exit 0
              fi
              n=$(now_ms)
              if [ "$n" -ge "$end" ]; then echo "elapsed_ms=$(( n - start ))"; [ "$mode" = sleep ] && exit 0; exit 3; fi
              left=$(( (end - n + 999) / 1000 ))
              if [ "$left" -lt "$nap" ]; then sleep "$left"; else sleep "$nap"; fi
            done
            """;

    public String name() {
        return "wait_for";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException {
        String host = ctx.str("host");
        String path = ctx.str("path");
        String regex = ctx.str("search_regex");
        String state = ctx.str("state");
        int timeout = ctx.integer("timeout");
        int delay = ctx.integer("delay");
        int sleep = Math.max(1, ctx.integer("sleep"));
        int connectTimeout = Math.max(1, ctx.integer("connect_timeout"));
        Integer port = ctx.has("port") ? ctx.integer("port") : null;
        if (port != null && (port < 1 || port > 65535)) {
            throw new ModuleException("argument 'port' must be 1..65535, got " + port);
        }
        if (!host.matches("[A-Za-z0-9_.:\\-\\[\\]]+")) throw new ModuleException("'" + host + "' is not a host name");
        Pattern javaRegex = null;
        if (regex != null) {
            try {
                javaRegex = Pattern.compile(LineEdits.pyRegex(regex, "search_regex").pattern(), Pattern.MULTILINE);
            } catch (PatternSyntaxException e) {
                throw new ModuleException("search_regex is not a valid regular expression: " + e.getDescription());
            }
        }
        boolean up = state.equals("started") || state.equals("present");
        if (!up && regex != null) throw new ModuleException("state=" + state + " cannot be used with search_regex");
        String mode = port != null ? (up ? "port-up" : "port-down")
                : path != null ? (regex != null ? "regex" : up ? "path-up" : "path-down")
                : "sleep";

        String script = "h=" + ShellQuote.quote(host) + " p=" + (port == null ? 0 : port)
                + " f=" + ShellQuote.quote(path == null ? "" : path)
                + " re=" + ShellQuote.quote(regex == null ? "" : regex)
                + " mode=" + mode + " timeout=" + timeout + " delay=" + delay + " nap=" + sleep
                + " ct=" + connectTimeout + "\n" + LOOP;
        Duration execTimeout = Duration.ofSeconds((long) delay + timeout + connectTimeout + 15L);
        if (execTimeout.compareTo(ctx.timeout()) > 0) execTimeout = ctx.timeout();
        CommandResult r = ctx.session().exec("sh -c " + ShellQuote.quote(script), execTimeout);

        ProbeAnswer kv = ProbeAnswer.parse(r.stdout());
        long elapsedMs;
        try {
            String ms = Objects.requireNonNullElse(kv.get("elapsed_ms"), "");
            elapsedMs = Long.parseLong(ms.strip()) + delay * 1000L;
        } catch (NumberFormatException e) {
            elapsedMs = Duration.between(r.start(), r.end()).toMillis();
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("elapsed", (int) (elapsedMs / 1000));
        data.put("state", state);
        if (port != null) {
            data.put("port", port);
            data.put("host", host);
        }
        if (path != null) data.put("path", path);
        if (regex != null) data.put("search_regex", regex);

        if (r.exitCode() == 0) {
            if (javaRegex != null) {
                Matcher m = RegexSubject.matcher(javaRegex, Objects.requireNonNullElse(kv.get("match"), ""));
                List<String> groups = new ArrayList<>();
                Map<String, Object> named = new LinkedHashMap<>();
                if (m.find()) {
                    for (int i = 1; i <= m.groupCount(); i++) groups.add(m.group(i) == null ? "" : m.group(i));
                    for (String g : m.namedGroups().keySet()) named.put(g, m.group(g) == null ? "" : m.group(g));
                }
                data.put("match_groups", groups);
                data.put("match_groupdict", named);
            }
            return TaskOutcome.ok("").withData(data);
        }
        if (r.exitCode() != 3) {
            return new TaskOutcome(TaskStatus.FAILED, r.exitCode(), r.stdout(), r.stderr(),
                    "wait_for could not run its check on the host (rc=" + r.exitCode() + "): "
                            + OutputText.tail(r.stderr(), 3), data);
        }
        String what = switch (mode) {
            case "port-up" -> host + ":" + port;
            case "port-down" -> host + ":" + port + " to stop."; // Ansible ends only these two with a period
            case "path-up" -> "file " + path;
            case "path-down" -> path + " to be absent.";
            default -> "search string " + regex + " in " + path;
        };
        String msg = ctx.has("msg") ? ctx.str("msg") : "Timeout when waiting for " + what;
        return new TaskOutcome(TaskStatus.FAILED, null, "", "", msg, data);
    }
}
