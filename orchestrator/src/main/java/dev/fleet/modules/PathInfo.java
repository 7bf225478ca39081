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
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", path);
        if (!i.exists()) return m;
        m.put("state", i.isLink() ? "link" : i.isDir() ? "directory" : i.nlink() > 1 ? "hard" : "file");
        m.put("mode", RemoteFiles.octal(i.mode()));
        m.put("owner", i.owner());
        m.put("group", i.group());
        m.put("uid", i.uid());
        m.put("gid", i.gid());
        m.put("size", i.size());
        return m;
    }
}
