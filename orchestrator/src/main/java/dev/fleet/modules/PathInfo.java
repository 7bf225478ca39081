package dev.fleet.modules;

import dev.fleet.transport.TransportException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The keys Ansible adds to every module result that has a {@code path} ({@code AnsibleModule.add_path_info}):
 * for an existing path, {@code state} ({@code file}, {@code directory}, {@code link} or {@code hard}),
 * {@code mode}, {@code owner}, {@code group}, {@code uid}, {@code gid} and {@code size} (of the path itself, not
 * a link's target); nothing for a missing one. They replace a {@code state} argument the module echoes back.
 */
final class PathInfo {
    private PathInfo() {}

    static Map<String, Object> of(ModuleContext ctx, String module, String path)
            throws TransportException, RemoteFiles.HostFailure {
        RemoteFiles.Info i = RemoteFiles.inspect(ctx, module, path, false, null, false);
        return i.exists() ? of("path", path, i) : new LinkedHashMap<>(Map.of("path", path));
    }

    /** The keys for an existing path already inspected, its path under {@code key} ({@code path} or {@code dest}). */
    static Map<String, Object> of(String key, String path, RemoteFiles.Info i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(key, path);
        m.put("state", state(i));
        m.put("mode", FileAttrs.octal(i.mode()));
        m.put("owner", i.owner());
        m.put("group", i.group());
        m.put("uid", i.uid());
        m.put("gid", i.gid());
        m.put("size", i.size());
        return m;
    }

    /** What a path is, as Ansible's file module names it: absent, link, directory, hard (more than one link), file. */
    static String state(RemoteFiles.Info i) {
        if (!i.exists()) return "absent";
        if (i.isLink()) return "link";
        if (i.isDir()) return "directory";
        return i.nlink() > 1 ? "hard" : "file";
    }
}
