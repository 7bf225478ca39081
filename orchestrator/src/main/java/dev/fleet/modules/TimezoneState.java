package dev.fleet.modules;

import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code timezone} reads on a host, in one round trip: whether {@code timedatectl} works (and its status),
 * else the Debian files ({@code /etc/timezone}, {@code /etc/default/rcS}, {@code /etc/adjtime}) and where the
 * {@code /etc/localtime} symlink points; and the current values of the settings as the collection derives them
 * ({@code n/a} where it cannot tell).
 *
 * @param timezoneFile the text of /etc/timezone, or null when missing (likewise {@code rcS}, {@code adjtime})
 * @param localtimeLink the target of the /etc/localtime symlink, or null when it is not one
 * @param sameAsZone   /etc/localtime (not a symlink) has the planned zone's content
 */
record TimezoneState(boolean systemd, String timedatectl, String status, boolean debian, String timezoneFile,
        String rcS, String adjtime, String localtimeLink, boolean linkResolves, boolean sameAsZone,
        boolean zoneFileExists, String hwclockBin, boolean hasRtc) {

    private static final Pattern SYSTEMD_ZONE = Pattern.compile("^\\s*Time ?zone\\s*:\\s*(\\S+)", Pattern.MULTILINE);
    private static final Pattern SYSTEMD_RTC = Pattern.compile("^\\s*RTC in local TZ\\s*:\\s*(\\S+)",
            Pattern.MULTILINE);
    private static final Pattern FILE_ZONE = Pattern.compile("^(\\S+)", Pattern.MULTILINE);
    private static final Pattern RCS_UTC = Pattern.compile("^UTC\\s*=\\s*(\\S+)", Pattern.MULTILINE);
    private static final Pattern ADJTIME = Pattern.compile("^(UTC|LOCAL)$", Pattern.MULTILINE);
    private static final Pattern ZONEINFO_LINK = Pattern.compile("(?:/(?:usr/share|etc)/zoneinfo/)(.*)");

    static TimezoneState probe(ModuleContext ctx, String zone) throws TransportException, RemoteFiles.HostFailure {
        String s = "tz=" + ShellQuote.quote(zone == null ? "" : zone) + "\n"
                + "b64() { if [ -f \"$1\" ]; then echo \"$2=$(base64 -w0 < \"$1\")\"; fi; }\n"
                + "if command -v timedatectl >/dev/null 2>&1 && timedatectl >/dev/null 2>&1; then\n"
                + "  echo \"timedatectl=$(command -v timedatectl)\"\n"
                + "  echo \"status=$(timedatectl status | base64 -w0)\"\n"
                + "else\n"
                + "  command -v dpkg-reconfigure >/dev/null 2>&1 && echo debian=yes\n"
                + "  b64 /etc/timezone timezone; b64 /etc/default/rcS rcs; b64 /etc/adjtime adjtime\n"
                + "  if [ -L /etc/localtime ]; then echo \"link=$(readlink /etc/localtime | base64 -w0)\";"
                + " [ -e /etc/localtime ] && echo resolves=yes;\n"
                + "  elif [ -n \"$tz\" ] && cmp -s /etc/localtime \"/usr/share/zoneinfo/$tz\"; then echo same=yes; fi\n"
                + "fi\n"
                + "[ -n \"$tz\" ] && [ -f \"/usr/share/zoneinfo/$tz\" ] && echo zonefile=yes\n"
                + "echo \"hwclock=$(command -v hwclock || echo hwclock)\"\n"
                + "for r in /dev/rtc /dev/rtc0; do [ -e \"$r\" ] && echo rtc=yes && break; done\n"
                + "exit 0\n";
        CommandResult r = RemoteFiles.sh(ctx, s);
        if (r.exitCode() != 0) {
            throw new RemoteFiles.HostFailure("cannot read the timezone settings: " + RemoteFiles.reason(r.stderr()));
        }
        ProbeAnswer f = ProbeAnswer.parse(r.stdout());
        return new TimezoneState(f.has("timedatectl"), f.get("timedatectl"), f.text("status"),
                f.has("debian"), f.text("timezone"), f.text("rcs"), f.text("adjtime"),
                f.has("link") ? f.text("link").strip() : null, f.has("resolves"),
                f.has("same"), f.has("zonefile"),
                f.get("hwclock"), f.has("rtc"));
    }

    /**
     * The current value of each planned setting ({@code hwclock}, {@code name}), as the collection reads it in
     * the given phase; an {@code error} entry when a value cannot be read at all.
     */
    Map<String, String> values(Map<String, String> planned, String phase) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : planned.entrySet()) {
            String v = e.getKey().equals("name") ? zone(e.getValue(), phase) : hwclock(e.getValue());
            if (v == null) {
                return Map.of("error", "tried to configure name using a file \"/etc/timezone\", but could not find"
                        + " a valid value in it");
            }
            out.put(e.getKey(), v);
        }
        return out;
    }

    private String zone(String planned, String phase) {
        if (systemd) return first(SYSTEMD_ZONE, status, "n/a");
        if (timezoneFile == null) return "n/a";
        String value = first(FILE_ZONE, timezoneFile, null);
        if (value == null) return phase.equals("before") ? "n/a" : null;
        if (!value.equals(planned)) return value;
        if (localtimeLink != null) {
            if (!linkResolves) return "n/a";
            Matcher m = ZONEINFO_LINK.matcher(localtimeLink);
            return m.find() ? m.group(1) : "n/a";
        }
        return sameAsZone ? value : "n/a";
    }

    private String hwclock(String planned) {
        if (systemd) {
            String v = first(SYSTEMD_RTC, status, "no");
            return isTrue(v) ? "local" : "UTC";
        }
        String v = first(RCS_UTC, rcS, null);
        String value = v == null ? "n/a" : isTrue(v) ? "UTC" : "local";
        if (!value.equals(planned)) return value;
        String adj = first(ADJTIME, adjtime, "UTC");
        return adj.equals("UTC") ? adj : adj.toLowerCase(Locale.ROOT);
    }

    private static boolean isTrue(String v) {
        return Set.of("y", "yes", "on", "1", "true", "t", "1.0").contains(v.toLowerCase(Locale.ROOT));
    }

    private static String first(Pattern p, String text, String otherwise) {
        if (text == null) return otherwise;
        Matcher m = p.matcher(text);
        return m.find() ? m.group(1) : otherwise;
    }
}
