package dev.fleet.modules;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The host's mounts read from {@code /proc/self/mountinfo} as {@code ansible.posix.mount} reads them: by mount
 * point, the source being the device, or for a mount whose parent is listed the path it shows from the parent's
 * filesystem (how the collection recognises bind mounts).
 */
final class MountTable {
    /** One mount: where, from what (device or bind path), options and filesystem type. */
    record Mount(String dst, String src, String opts, String fs) {}

    private final Map<String, Mount> byDestination;

    private MountTable(Map<String, Mount> byDestination) {
        this.byDestination = byDestination;
    }

    private record Raw(int id, int parent, String root, String dst, String opts, String fs, String src) {}

    static MountTable parse(String mountinfo) {
        Map<Integer, Raw> byId = new LinkedHashMap<>();
        for (String line : mountinfo.lines().toList()) {
            String[] f = line.strip().split("\\s+");
            if (f.length < 7) continue;
            try {
                Raw r = new Raw(Integer.parseInt(f[0]), Integer.parseInt(f[1]), f[3], f[4], f[5], f[f.length - 3],
                        f[f.length - 2]);
                byId.put(r.id(), r);
            } catch (NumberFormatException e) {
                // not a mountinfo line
            }
        }
        Map<String, Mount> mounts = new HashMap<>();
        for (Raw r : byId.values()) {
            String src;
            Raw parent = byId.get(r.parent());
            if (r.parent() != 1 && parent != null) {
                String root = r.root();
                if (parent.root().length() > 1 && root.startsWith(parent.root() + "/")) {
                    root = root.substring(parent.root().length());
                }
                if (!parent.dst().equals("/")) root = parent.dst() + root;
                src = root;
            } else {
                src = r.src();
            }
            mounts.put(r.dst(), new Mount(r.dst(), src, r.opts(), r.fs()));
        }
        return new MountTable(mounts);
    }

    /** The collection's {@code is_bind_mounted} on Linux: something is mounted there (from {@code src}). */
    boolean mounted(String dst, String src) {
        Mount m = byDestination.get(dst);
        return m != null && (src == null || m.src().equals(src));
    }
}
