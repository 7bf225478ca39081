package dev.fleet.modules;

import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;

/**
 * What {@link SystemdModule} asks a host before any systemctl call, in one command: where systemctl is (and the
 * PATH searched), whether an init script of the unit's name exists and is enabled in a SysV runlevel, and whether
 * the target is a chroot (Ansible's test: / is not PID 1's root, or {@code debian_chroot} is set) or systemd is
 * declared offline ({@code SYSTEMD_OFFLINE=1}).
 */
record SystemdHost(String systemctl, String path, boolean initScript, boolean initScriptEnabled, boolean chroot,
        boolean offline) {

    private static final String SCRIPT = """
            echo "path=$PATH"
            p=$(command -v systemctl 2>/dev/null) && case "$p" in /*) echo "systemctl=$p";; esac
            if [ -n "$n" ]; then
              case "$n" in /*) s=$n;; *) s=/etc/init.d/$n;; esac
              [ -e "$s" ] && echo initscript=1
              d=/etc/rc?.d; [ -d /etc/rc0.d/ ] || d=/etc/init.d/rc?.d
              for l in $d/S??"$n"; do [ -e "$l" ] || [ -L "$l" ] && { echo initenabled=1; break; }; done
            fi
            if [ -n "${debian_chroot:-}" ]; then echo chroot=1
            elif r=$(stat -c %d:%i / 2>/dev/null) && o=$(stat -c %d:%i /proc/1/root/. 2>/dev/null); then
              [ "$r" = "$o" ] || echo chroot=1
            else
              case "$(stat -f -c %T / 2>/dev/null)" in btrfs) i=256;; xfs) i=128;; *) i=2;; esac
              [ "$(stat -c %i / 2>/dev/null)" = "$i" ] || echo chroot=1
            fi
            [ "${SYSTEMD_OFFLINE:-}" = 1 ] && echo offline=1
            exit 0
            """;

    static SystemdHost probe(ModuleContext ctx, String unit) throws TransportException {
        String script = "n=" + ShellQuote.quote(unit == null ? "" : unit) + "\n" + SCRIPT;
        CommandResult r = ctx.session().exec("sh -c " + ShellQuote.quote(script), ctx.timeout());
        ProbeAnswer a = ProbeAnswer.parse(r.stdout());
        return new SystemdHost(a.get("systemctl"), a.has("path") ? a.get("path") : "", a.has("initscript"),
                a.has("initenabled"), a.has("chroot"), a.has("offline"));
    }
}
