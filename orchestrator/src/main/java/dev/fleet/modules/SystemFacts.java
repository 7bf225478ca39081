package dev.fleet.modules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The facts Ansible's setup gives about the login user, the package manager, Python, the environment and the
 * network, read from the lines {@link #SCRIPT} prints (no Python needed on the host). Kept apart from
 * {@link SetupModule}, which gathers the rest, so each parser stays readable.
 */
final class SystemFacts {
    private SystemFacts() {}

    /** Appended to the setup script; every line is {@code key=value}, a missing tool leaves its line out. */
    static final String SCRIPT = """
            echo "uid=$(id -u)"
            echo "gid=$(id -g)"
            getent passwd "$(id -un)" | head -n 1 | sed 's/^/pw=/'
            if command -v apt-get >/dev/null 2>&1; then echo pkgmgr=apt; fi
            py=$(command -v python3)
            if [ -n "$py" ]; then echo "python=$py $($py -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')"; fi
            ip -4 -o addr show | sed 's/^/ip4=/'
            ip -4 route show default | head -n 1 | sed 's/^/route=/'
            for d in /sys/class/net/*; do
              [ -e "$d" ] && echo "if=${d##*/} $(cat "$d/address") $(cat "$d/operstate") $(cat "$d/type")"
            done
            env | sed -n 's/^\\([A-Za-z_][A-Za-z0-9_]*\\)=/env=\\1=/p'
            """;

    private static final Pattern IP4 =
            Pattern.compile("^\\d+:\\s+(\\S+)\\s+inet\\s+(\\d+\\.\\d+\\.\\d+\\.\\d+)/(\\d+)");
    private static final Pattern ROUTE = Pattern.compile("default via (\\S+) dev (\\S+)");

    /** Adds the facts to {@code f}; {@code lines} maps each key to its lines in order. */
    static void add(Map<String, Object> f, Map<String, List<String>> lines, String distribution, String version,
            String codename) {
        String user = first(lines, "user");
        f.put("ansible_user_uid", toInt(first(lines, "uid")));
        f.put("ansible_user_gid", toInt(first(lines, "gid")));
        String[] pw = first(lines, "pw").split(":", -1);
        if (pw.length >= 7) {
            f.put("ansible_user_gecos", pw[4]);
            f.put("ansible_user_dir", pw[5]);
            f.put("ansible_user_shell", pw[6]);
        }
        f.put("ansible_pkg_mgr", first(lines, "pkgmgr").isEmpty() ? "unknown" : first(lines, "pkgmgr"));
        python(f, first(lines, "python"));
        Map<String, Object> env = new TreeMap<>();
        for (String e : lines.getOrDefault("env", List.of())) {
            int eq = e.indexOf('=');
            if (eq > 0) env.put(e.substring(0, eq), e.substring(eq + 1));
        }
        f.put("ansible_env", env);
        Map<String, Object> lsb = new LinkedHashMap<>();
        lsb.put("id", distribution);
        lsb.put("release", version);
        lsb.put("major_release", version.split("\\.")[0]);
        lsb.put("codename", codename);
        lsb.put("description", (distribution + " " + version).strip());
        f.put("ansible_lsb", lsb);
        network(f, lines);
        if (user.isEmpty()) f.remove("ansible_user_gecos");
    }

    private static void python(Map<String, Object> f, String line) {
        if (line.isEmpty()) return;
        String[] parts = line.split(" ");
        String exe = parts[0];
        String version = parts.length > 1 ? parts[1] : "";
        String[] v = version.split("\\.");
        Map<String, Object> ver = new LinkedHashMap<>();
        ver.put("major", v.length > 0 ? toInt(v[0]) : 0);
        ver.put("minor", v.length > 1 ? toInt(v[1]) : 0);
        ver.put("micro", v.length > 2 ? toInt(v[2]) : 0);
        ver.put("releaselevel", "final");
        ver.put("serial", 0);
        Map<String, Object> py = new LinkedHashMap<>();
        py.put("executable", exe);
        py.put("type", "cpython");
        py.put("version", ver);
        py.put("version_info", List.of(ver.get("major"), ver.get("minor"), ver.get("micro"), "final", 0));
        py.put("has_sslcontext", true);
        f.put("ansible_python", py);
        f.put("ansible_python_version", version);
    }

    /** ansible_interfaces, ansible_<if>, ansible_all_ipv4_addresses, ansible_default_ipv4. */
    private static void network(Map<String, Object> f, Map<String, List<String>> lines) {
        Map<String, Map<String, Object>> ifs = new TreeMap<>();
        for (String l : lines.getOrDefault("if", List.of())) {
            String[] p = l.split(" ");
            if (p.length < 4) continue;
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("device", p[0]);
            i.put("macaddress", p[1]);
            i.put("active", !"down".equals(p[2]));
            i.put("type", "772".equals(p[3]) ? "loopback" : "ether");
            ifs.put(p[0], i);
        }
        List<String> all = new ArrayList<>();
        for (String l : lines.getOrDefault("ip4", List.of())) {
            Matcher m = IP4.matcher(l);
            if (!m.find()) continue;
            Map<String, Object> ipv4 = ipv4(m.group(2), Integer.parseInt(m.group(3)));
            ifs.computeIfAbsent(m.group(1), d -> new LinkedHashMap<>(Map.of("device", d, "active", true)))
                    .putIfAbsent("ipv4", ipv4);
            if (!m.group(2).startsWith("127.")) all.add(m.group(2));
        }
        f.put("ansible_interfaces", List.copyOf(ifs.keySet()));
        ifs.forEach((name, i) -> f.put("ansible_" + name.replaceAll("[^A-Za-z0-9_]", "_"), i));
        f.put("ansible_all_ipv4_addresses", all);
        Map<String, Object> dflt = new LinkedHashMap<>();
        Matcher r = ROUTE.matcher(first(lines, "route"));
        if (r.find() && ifs.get(r.group(2)) != null) {
            Map<String, Object> i = ifs.get(r.group(2));
            if (i.get("ipv4") instanceof Map<?, ?> ip) ip.forEach((k, v) -> dflt.put(String.valueOf(k), v));
            dflt.put("gateway", r.group(1));
            dflt.put("interface", r.group(2));
            dflt.put("alias", r.group(2));
            dflt.put("macaddress", i.getOrDefault("macaddress", ""));
            dflt.put("type", i.getOrDefault("type", "ether"));
        }
        f.put("ansible_default_ipv4", dflt);
    }

    static Map<String, Object> ipv4(String address, int prefix) {
        long ip = 0;
        for (String octet : address.split("\\.")) ip = (ip << 8) | Integer.parseInt(octet);
        long mask = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("address", address);
        m.put("prefix", String.valueOf(prefix));
        m.put("netmask", dotted(mask));
        m.put("network", dotted(ip & mask));
        m.put("broadcast", dotted((ip & mask) | (~mask & 0xFFFFFFFFL)));
        return m;
    }

    private static String dotted(long v) {
        return ((v >> 24) & 255) + "." + ((v >> 16) & 255) + "." + ((v >> 8) & 255) + "." + (v & 255);
    }

    private static String first(Map<String, List<String>> lines, String key) {
        List<String> l = lines.get(key);
        return l == null || l.isEmpty() ? "" : l.get(0).strip();
    }

    private static Object toInt(String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return s;
        }
    }
}
