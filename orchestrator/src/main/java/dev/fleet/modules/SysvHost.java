package dev.fleet.modules;

import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@link SysvinitModule} needs to know about a host, asked in one command: the init script's path and whether
 * it exists, where service, update-rc.d and chkconfig are, and in which runlevels an {@code S??NAME} link starts
 * the service ({@code /etc/rcN.d}, or {@code /etc/init.d/rcN.d} where there is no {@code /etc/rc0.d}).
 */
record SysvHost(String script, boolean scriptExists, Map<String, String> tools, Set<String> startLevels) {

    static SysvHost probe(ModuleContext ctx, String name, List<String> runlevels) throws TransportException {
        String script = name.startsWith("/") ? name : "/etc/init.d/" + name;
        String probe = "n=" + ShellQuote.quote(name) + "; s=" + ShellQuote.quote(script) + "\n" + """
                [ -e "$s" ] && echo exists=1
                PATH="$PATH:/sbin:/usr/sbin:/bin:/usr/bin"
                for t in service update-rc.d chkconfig; do
                  p=$(command -v "$t" 2>/dev/null) && case "$p" in /*) echo "$t=$p";; esac
                done
                d=/etc; [ -d /etc/rc0.d/ ] || d=/etc/init.d
                for l in "$d"/rc?.d/S??"$n"; do
                  [ -e "$l" ] || [ -L "$l" ] || continue
                  l=${l#"$d"/rc}; echo "start=${l%%.d/*}"
                done
                exit 0
                """;
        CommandResult r = ctx.session().exec("sh -c " + ShellQuote.quote(probe), ctx.timeout());
        ProbeAnswer answer = ProbeAnswer.parse(r.stdout());
        Map<String, String> tools = answer.firstOf(List.of("service", "update-rc.d", "chkconfig"));
        return new SysvHost(script, answer.has("exists"), Map.copyOf(tools), Set.copyOf(answer.all("start")));
    }

    String service() {
        return tools.get("service");
    }

    String updateRcD() {
        return tools.get("update-rc.d");
    }

    String chkconfig() {
        return tools.get("chkconfig");
    }

    boolean enabledIn(String runlevel) {
        return startLevels.contains(runlevel);
    }

    boolean enabledAnywhere() {
        return !startLevels.isEmpty();
    }
}
