package dev.fleet.modules;

import dev.fleet.shell.ShellQuote;
import dev.fleet.result.TaskOutcome;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.HostSession;
import dev.fleet.transport.TransportException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code setup} (and {@code gather_facts}): collects Ansible's common facts with ONE command, a POSIX sh script
 * printing {@code key=value} lines that are parsed here, so it works on hosts without python. Besides Ansible's
 * names it sets the php-fpm facts the nginx 502 runbook needs ({@code php_fpm_service}, {@code php_fpm_socket},
 * ...). The facts are returned under {@code data.ansible_facts}.
 */
final class SetupModule implements Module {
    /** gather_subset, gather_timeout and fact_path are accepted for Ansible playbooks; fleet gathers one set. */
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.list("filter", ArgType.STR), Arg.list("gather_subset", ArgType.STR),
                    Arg.integer("gather_timeout").defaultsTo(10), Arg.path("fact_path"))
            .build();

    /** Filesystems that are not disks: left out of {@code ansible_mounts}. */
    private static final Set<String> PSEUDO_FS = Set.of("tmpfs", "devtmpfs", "proc", "sysfs", "devpts", "cgroup",
            "cgroup2", "mqueue", "debugfs", "tracefs", "securityfs", "pstore", "bpf", "autofs", "hugetlbfs",
            "fusectl", "configfs", "binfmt_misc", "nsfs", "ramfs", "efivarfs", "squashfs", "rpc_pipefs", "none");

    private static final Pattern PHP_VERSION =
            Pattern.compile("php-?fpm-?(\\d+(?:\\.\\d+)*)|php(\\d+(?:\\.\\d+)*)-fpm");

    /** Prints one fact per line; a missing tool only leaves its line empty. */
    static final String SCRIPT = """
            exec 2>/dev/null
            h=$(hostname 2>/dev/null || uname -n)
            echo "hostname=$h"
            if command -v timeout >/dev/null 2>&1; then f=$(timeout 3 hostname -f); else f=$(hostname -f); fi
            echo "fqdn=${f:-$h}"
            [ -r /etc/os-release ] && sed -n 's/^\\([A-Z_]*\\)=/os_\\1=/p' /etc/os-release
            echo "kernel=$(uname -r)"
            echo "arch=$(uname -m)"
            n=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null)
            echo "nproc=$n"
            sed -n 's/^\\([A-Za-z]*\\): *\\([0-9]*\\).*/mem_\\1=\\2/p' /proc/meminfo
            echo "loadavg=$(cat /proc/loadavg)"
            df -P -T -k 2>/dev/null | sed '1d;s/^/df=/'
            if [ -d /run/systemd/system ]; then echo svcmgr=systemd; else echo svcmgr=sysvinit; fi
            echo "user=$(id -un)"
            echo "epoch=$(date +%s)"
            echo "iso=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
            for p in /etc/init.d/php*-fpm /lib/systemd/system/php*-fpm.service /usr/lib/systemd/system/php*-fpm.service \\
                     /etc/systemd/system/php*-fpm.service /usr/sbin/php-fpm*; do
              [ -e "$p" ] && echo "phpfpm=$p"
            done
            for c in /etc/php/*/fpm/pool.d/www.conf; do
              [ -f "$c" ] || continue
              l=$(sed -n 's/^[[:space:]]*listen[[:space:]]*=[[:space:]]*//p' "$c" | head -n 1)
              echo "phppool=$c $l"
            done
            if [ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1; then echo nginx=1; else echo nginx=0; fi
            """ + SystemFacts.SCRIPT + "exit 0\n";

    public String name() {
        return "setup";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException {
        CommandResult r = ctx.session().exec("sh -c " + ShellQuote.quote(SCRIPT), ctx.timeout());
        if (r.exitCode() != 0 || !r.stdout().contains("hostname=")) {
            return FailedCommand.outcome("could not gather facts: the fact script exited with " + r.exitCode(), r);
        }
        Map<String, Object> facts = parse(r.stdout());
        List<String> filters = ctx.strings("filter");
        if (!filters.isEmpty()) {
            List<Pattern> globs = filters.stream().map(SetupModule::glob).toList();
            facts.keySet().removeIf(k -> globs.stream().noneMatch(g -> g.matcher(k).matches()));
        }
        return TaskOutcome.ok("").withData(Map.of("ansible_facts", facts));
    }

    /** For the engine's {@code gather_facts}: the same facts as the module, or a failed outcome. */
    static TaskOutcome gather(HostSession session, Duration timeout) throws TransportException {
        try {
            return new SetupModule().run(new ModuleContext(session, Map.of(), false, false, timeout, Map.of(),
                    null, java.nio.file.Path.of(".")));
        } catch (ModuleException e) {
            return TaskOutcome.failed(e.getMessage());
        }
    }

    /** A shell-style glob ({@code ansible_distribution*}) as a regex. */
    static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }

    /** Turns the script's output into facts. Package-private for tests. */
    static Map<String, Object> parse(String out) {
        Map<String, String> kv = new LinkedHashMap<>();
        Map<String, Long> mem = new LinkedHashMap<>();
        List<String> df = new ArrayList<>();
        List<String> phpFpm = new ArrayList<>();
        List<String> pools = new ArrayList<>();
        Map<String, List<String>> lines = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq <= 0) continue;
            String k = line.substring(0, eq);
            String v = line.substring(eq + 1);
            lines.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
            switch (k) {
                case "df" -> df.add(v);
                case "phpfpm" -> phpFpm.add(v);
                case "phppool" -> pools.add(v);
                default -> {
                    if (k.startsWith("mem_")) {
                        try {
                            mem.put(k.substring(4), Long.parseLong(v.strip()));
                        } catch (NumberFormatException ignored) {
                            // a meminfo line without a number
                        }
                    } else {
                        kv.putIfAbsent(k, v);
                    }
                }
            }
        }
        Map<String, Object> f = new TreeMap<>();
        f.put("ansible_hostname", kv.getOrDefault("hostname", "").split("\\.")[0]);
        f.put("ansible_nodename", kv.getOrDefault("hostname", ""));
        f.put("ansible_fqdn", kv.getOrDefault("fqdn", ""));
        String id = unquote(kv.getOrDefault("os_ID", "")).toLowerCase(Locale.ROOT);
        String idLike = unquote(kv.getOrDefault("os_ID_LIKE", "")).toLowerCase(Locale.ROOT);
        String distribution = distribution(id, unquote(kv.getOrDefault("os_NAME", "")));
        String version = unquote(kv.getOrDefault("os_VERSION_ID", ""));
        f.put("ansible_distribution", distribution);
        f.put("ansible_distribution_version", version);
        f.put("ansible_distribution_major_version", version.split("\\.")[0]);
        f.put("ansible_distribution_release", unquote(kv.getOrDefault("os_VERSION_CODENAME", "")));
        f.put("ansible_os_family", osFamily(id, idLike, distribution));
        f.put("ansible_system", "Linux");
        f.put("ansible_kernel", kv.getOrDefault("kernel", ""));
        f.put("ansible_architecture", kv.getOrDefault("arch", ""));
        f.put("ansible_machine", kv.getOrDefault("arch", ""));
        int vcpus = toInt(kv.get("nproc"));
        f.put("ansible_processor_vcpus", vcpus);
        f.put("ansible_processor_nproc", vcpus);

        long totalMb = mem.getOrDefault("MemTotal", 0L) / 1024;
        long freeMb = mem.getOrDefault("MemFree", 0L) / 1024;
        long availMb = mem.getOrDefault("MemAvailable",
                mem.getOrDefault("MemFree", 0L) + mem.getOrDefault("Buffers", 0L) + mem.getOrDefault("Cached", 0L))
                / 1024;
        long swapTotalMb = mem.getOrDefault("SwapTotal", 0L) / 1024;
        long swapFreeMb = mem.getOrDefault("SwapFree", 0L) / 1024;
        f.put("ansible_memtotal_mb", totalMb);
        f.put("ansible_memfree_mb", freeMb);
        f.put("ansible_swaptotal_mb", swapTotalMb);
        f.put("ansible_swapfree_mb", swapFreeMb);
        f.put("ansible_memory_mb", Map.of(
                "real", Map.of("total", totalMb, "free", freeMb, "used", totalMb - freeMb),
                "nocache", Map.of("free", availMb, "used", totalMb - availMb),
                "swap", Map.of("total", swapTotalMb, "free", swapFreeMb, "used", swapTotalMb - swapFreeMb)));

        String[] load = kv.getOrDefault("loadavg", "").strip().split("\\s+");
        Map<String, Object> loadavg = new LinkedHashMap<>();
        String[] names = {"1m", "5m", "15m"};
        for (int i = 0; i < 3; i++) loadavg.put(names[i], i < load.length ? toDouble(load[i]) : 0.0);
        f.put("ansible_loadavg", loadavg);

        f.put("ansible_mounts", mounts(df));
        f.put("ansible_service_mgr", kv.getOrDefault("svcmgr", "sysvinit"));
        f.put("ansible_user_id", kv.getOrDefault("user", ""));
        String epoch = kv.getOrDefault("epoch", "");
        String iso = kv.getOrDefault("iso", "");
        Map<String, Object> dt = new LinkedHashMap<>();
        dt.put("epoch", epoch);
        dt.put("iso8601", iso);
        if (iso.length() >= 19) {
            dt.put("date", iso.substring(0, 10));
            dt.put("time", iso.substring(11, 19));
            dt.put("year", iso.substring(0, 4));
            dt.put("month", iso.substring(5, 7));
            dt.put("day", iso.substring(8, 10));
            dt.put("hour", iso.substring(11, 13));
            dt.put("minute", iso.substring(14, 16));
            dt.put("second", iso.substring(17, 19));
            dt.put("tz", "UTC");
        }
        f.put("ansible_date_time", dt);

        SystemFacts.add(f, lines, distribution, version, unquote(kv.getOrDefault("os_VERSION_CODENAME", "")));
        phpFacts(f, phpFpm, pools);
        f.put("nginx_installed", "1".equals(kv.get("nginx")));
        f.put("gather_subset", List.of("all"));
        f.put("module_setup", true);
        return new LinkedHashMap<>(f);
    }

    /** The newest php-fpm found (init script, unit file or binary), its www pool and that pool's socket. */
    private static void phpFacts(Map<String, Object> f, List<String> found, List<String> pools) {
        String best = "";
        for (String p : found) {
            Matcher m = PHP_VERSION.matcher(p.substring(p.lastIndexOf('/') + 1));
            if (!m.find()) continue;
            String v = m.group(1) != null ? m.group(1) : m.group(2);
            if (compareVersions(v, best) > 0) best = v;
        }
        Map<String, String> poolListen = new LinkedHashMap<>();
        for (String p : pools) {
            int sp = p.indexOf(' ');
            poolListen.put(sp < 0 ? p : p.substring(0, sp), sp < 0 ? "" : p.substring(sp + 1).strip());
        }
        if (best.isEmpty() && !poolListen.isEmpty()) {
            // a pool config without a recognisable service: take the newest version directory
            for (String conf : poolListen.keySet()) {
                String v = conf.replaceFirst("^/etc/php/([^/]+)/.*", "$1");
                if (compareVersions(v, best) > 0) best = v;
            }
        }
        String pool = best.isEmpty() ? "" : "/etc/php/" + best + "/fpm/pool.d/www.conf";
        f.put("php_fpm_service", best.isEmpty() ? "" : "php" + best + "-fpm");
        f.put("php_fpm_version", best);
        f.put("php_fpm_pool_conf", poolListen.containsKey(pool) ? pool : "");
        f.put("php_fpm_socket", poolListen.getOrDefault(pool, ""));
    }

    /** Numeric, part by part; the empty string is lowest. */
    static int compareVersions(String a, String b) {
        if (a.isEmpty() || b.isEmpty()) return Boolean.compare(!a.isEmpty(), !b.isEmpty());
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int c = Integer.compare(i < x.length ? toInt(x[i]) : 0, i < y.length ? toInt(y[i]) : 0);
            if (c != 0) return c;
        }
        return 0;
    }

    /** {@code df -P -T -k} lines: device, type, 1K-blocks, used, available, capacity, mount point. */
    private static List<Map<String, Object>> mounts(List<String> df) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : df) {
            String[] c = line.strip().split("\\s+", 7);
            if (c.length < 7 || PSEUDO_FS.contains(c[1])) continue;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mount", c[6]);
            m.put("device", c[0]);
            m.put("fstype", c[1]);
            m.put("size_total", toLong(c[2]) * 1024);
            m.put("size_available", toLong(c[4]) * 1024);
            m.put("block_size", 1024);
            out.add(m);
        }
        return out;
    }

    private static String distribution(String id, String name) {
        return switch (id) {
            case "debian" -> "Debian";
            case "ubuntu" -> "Ubuntu";
            case "centos" -> "CentOS";
            case "rhel" -> "RedHat";
            case "fedora" -> "Fedora";
            case "rocky" -> "Rocky";
            case "almalinux" -> "AlmaLinux";
            case "alpine" -> "Alpine";
            case "arch" -> "Archlinux";
            case "amzn" -> "Amazon";
            case "opensuse-leap", "opensuse-tumbleweed", "opensuse" -> "openSUSE";
            case "sles" -> "SLES";
            case "linuxmint" -> "Linux Mint";
            case "" -> name.isEmpty() ? "" : name.split("\\s+")[0];
            default -> Character.toUpperCase(id.charAt(0)) + id.substring(1);
        };
    }

    private static String osFamily(String id, String idLike, String distribution) {
        String all = id + " " + idLike;
        if (id.equals("debian") || id.equals("ubuntu") || all.contains("debian") || all.contains("ubuntu")) {
            return "Debian";
        }
        if (all.matches(".*\\b(rhel|centos|fedora)\\b.*")) return "RedHat";
        if (all.contains("suse")) return "Suse";
        if (id.equals("alpine")) return "Alpine";
        if (id.equals("arch") || idLike.contains("arch")) return "Archlinux";
        return distribution;
    }

    private static String unquote(String s) {
        s = s.strip();
        if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    private static int toInt(String s) {
        try {
            return s == null ? 0 : Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static long toLong(String s) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static double toDouble(String s) {
        try {
            return Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            return 0.0;
        }
    }
}
