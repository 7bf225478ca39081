package dev.fleet.modules;

import dev.fleet.shell.ShellQuote;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@link MountFactsModule} reads from a host: the mount tables it names (each with the path it resolves to,
 * so {@code /etc/mtab} and {@code /proc/mounts}, one file, are read once), the output of the {@code mount} command
 * when asked, and the {@code /dev/disk/by-uuid} links; parsed as Ansible's mount_facts parses them on Linux.
 */
final class MountTables {
    private static final Pattern LINUX_MOUNT = Pattern.compile(
            "^(?<device>\\S+) on (?<mount>\\S+) type (?<fstype>\\S+) \\((?<options>.+)\\)$");
    private static final Pattern OCTAL = Pattern.compile("\\\\([0-7]{3})");
    private static final Pattern PROC_PID = Pattern.compile("^/proc/\\d+/");

    /** One file (or the mount command's output): the source as named, what it resolves to, its lines. */
    private record Source(String name, String real, List<String> lines) {}

    /** One mount line: where it came from, the line, and its fields in Ansible's order. */
    record Mount(String source, String line, String device, String mount, String fstype, Map<String, Object> rest) {
        /** The fields as Ansible returns them (before sizes): device resolved from UUID=, context, uuid. */
        Map<String, Object> fields(String resolvedDevice, String uuid) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("device", resolvedDevice);
            m.put("mount", mount);
            m.put("fstype", fstype);
            m.putAll(rest);
            m.put("ansible_context", Map.of("source", source, "source_data", line));
            m.put("uuid", uuid);
            return m;
        }
    }

    private final List<Source> sources;
    /** by-uuid: the device each UUID names, and the UUID of each device. */
    private final Map<String, String> deviceByUuid;
    private final Map<String, String> uuidByDevice;

    private MountTables(List<Source> sources, Map<String, String> deviceByUuid, Map<String, String> uuidByDevice) {
        this.sources = sources;
        this.deviceByUuid = deviceByUuid;
        this.uuidByDevice = uuidByDevice;
    }

    /** The first round trip: every readable source file, the mount command if named, the UUID links. */
    static String readScript(List<String> sources, String mountBinary) {
        StringBuilder s = new StringBuilder();
        for (String src : new LinkedHashSet<>(sources)) {
            String q = ShellQuote.quote(src);
            if (src.equals("mount")) {
                if (mountBinary == null) continue;
                s.append("printf '@@source mount mount\\n'; ").append(mountCommand(mountBinary)).append('\n');
            } else {
                s.append("if [ -r ").append(q).append(" ] && [ -f ").append(q).append(" -o -L ").append(q)
                        .append(" ]; then printf '@@source %s %s\\n' ").append(q).append(" \"$(readlink -f ")
                        .append(q).append(")\"; cat ").append(q).append("; echo; fi\n");
            }
        }
        s.append("echo @@uuids; for u in /dev/disk/by-uuid/*; do [ -e \"$u\" ] && printf '%s %s\\n' "
                + "\"$(readlink -f \"$u\")\" \"${u##*/}\"; done; true\n");
        return s.toString();
    }

    static String mountCommand(String mountBinary) {
        return "LC_ALL=C " + ShellQuote.quote(mountBinary) + " 2>&1";
    }

    static MountTables parse(String out) {
        List<Source> sources = new ArrayList<>();
        Map<String, String> byUuid = new LinkedHashMap<>();
        Map<String, String> byDevice = new LinkedHashMap<>();
        List<String> current = null;
        boolean uuids = false;
        for (String line : out.split("\n", -1)) {
            if (line.startsWith("@@source ")) {
                String[] p = line.substring(9).split(" ", 2);
                current = new ArrayList<>();
                // /proc/self resolves to the pid of the readlink that looked: one name for every process
                sources.add(new Source(p[0], PROC_PID.matcher(p.length > 1 ? p[1] : p[0]).replaceFirst("/proc/self/"),
                        current));
                uuids = false;
            } else if (line.equals("@@uuids")) {
                uuids = true;
                current = null;
            } else if (uuids) {
                String[] p = line.strip().split(" ");
                if (p.length == 2) {
                    byUuid.put(p[1], p[0]);
                    byDevice.putIfAbsent(p[0], p[1]);
                }
            } else if (current != null) {
                current.add(line);
            }
        }
        return new MountTables(sources, byUuid, byDevice);
    }

    /** The mounts of the sources in the order asked, each file once (by its name or what it resolves to). */
    List<Mount> mounts(List<String> order) {
        List<Mount> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String name : order) {
            for (Source s : sources) {
                if (!s.name().equals(name) || seen.contains(s.name()) || seen.contains(s.real())) continue;
                seen.add(s.name().equals("mount") ? "mount" : s.real());
                out.addAll(s.name().equals("mount") ? fromMountOutput(String.join("\n", s.lines()))
                        : fromFstab(s.name(), s.lines()));
            }
        }
        return out;
    }

    /**
     * fstab format ({@code /etc/fstab}, {@code /proc/mounts}): device, mount point, type, options, then dump and
     * passno when present; {@code \040}-style escapes decoded. A file with a line of fewer than four fields is not
     * in this format, and gives nothing (as Ansible's parser gives up on it).
     */
    static List<Mount> fromFstab(String source, List<String> lines) {
        List<Mount> out = new ArrayList<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] f = line.split("\\s+");
            if (f.length < 4) return List.of();
            for (int i = 0; i < f.length; i++) f[i] = unescape(f[i]);
            Map<String, Object> rest = new LinkedHashMap<>();
            rest.put("options", f[3]);
            try {
                if (f.length > 4) rest.put("dump", Integer.parseInt(f[4]));
                if (f.length > 5) rest.put("passno", Integer.parseInt(f[5]));
            } catch (NumberFormatException e) {
                return List.of();
            }
            out.add(new Mount(source, line, f[0], f[1], f[2], rest));
        }
        return out;
    }

    /** Linux {@code mount} output: "DEV on DIR type TYPE (OPTIONS)"; anything else is not read. */
    static List<Mount> fromMountOutput(String stdout) {
        List<Mount> out = new ArrayList<>();
        List<String> lines = stdout.lines().toList();
        for (String line : lines) {
            if (!LINUX_MOUNT.matcher(line).matches()) return List.of();
        }
        for (String line : lines) {
            Matcher m = LINUX_MOUNT.matcher(line);
            if (!m.matches()) continue;
            out.add(new Mount("mount", line, m.group("device"), m.group("mount"), m.group("fstype"),
                    new LinkedHashMap<>(Map.of("options", m.group("options")))));
        }
        return out;
    }

    /** {@code UUID=...} as the device it names, where the host's by-uuid links know it. */
    String device(String device) {
        if (!device.startsWith("UUID=")) return device;
        return deviceByUuid.getOrDefault(device.substring(5), device);
    }

    /** The UUID given in the table, or the one the device has. */
    String uuid(String written, String device) {
        if (written.startsWith("UUID=")) return written.substring(5);
        return uuidByDevice.get(device);
    }

    /** {@code stat -f -c '%S %s %b %a %c %d'}: statvfs's frsize, bsize, blocks, bavail, files, ffree. */
    static Map<String, Object> sizes(String answer) {
        String[] p = answer.strip().split("\\s+");
        if (p.length != 6 || !answer.matches("[\\d\\s]+")) return Map.of();
        long frsize = Long.parseLong(p[0]);
        long bsize = Long.parseLong(p[1]);
        long blocks = Long.parseLong(p[2]);
        long bavail = Long.parseLong(p[3]);
        long files = Long.parseLong(p[4]);
        long favail = Long.parseLong(p[5]);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("size_total", frsize * blocks);
        m.put("size_available", frsize * bavail);
        m.put("block_size", bsize);
        m.put("block_total", blocks);
        m.put("block_available", bavail);
        m.put("block_used", blocks - bavail);
        m.put("inode_total", files);
        m.put("inode_available", favail);
        m.put("inode_used", files - favail);
        return m;
    }

    private static String unescape(String field) {
        return OCTAL.matcher(field).replaceAll(m -> Matcher.quoteReplacement(
                String.valueOf((char) Integer.parseInt(m.group(1), 8))));
    }

    /** A list as Python prints it: ['a', 'b']. */
    static String pythonList(List<String> items) {
        List<String> q = new ArrayList<>();
        for (String s : items) q.add("'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'");
        return "[" + String.join(", ", q) + "]";
    }
}
