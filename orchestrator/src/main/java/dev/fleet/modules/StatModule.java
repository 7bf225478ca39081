package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.transport.TransportException;
import java.util.Map;
import java.util.Set;

/**
 * {@code stat}: facts about a remote path in one round trip ({@code stat -c}, plus {@code sha1sum} for a regular
 * file), returned as Ansible does under {@code stat}: {@code exists}, {@code mode} ("0644"), {@code isreg},
 * {@code pw_name}, {@code checksum}, ... Never changes anything. {@code get_mime} and {@code get_attributes}
 * are accepted and ignored.
 */
final class StatModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.of(null,
            Set.of("path", "dest", "name", "follow", "get_checksum", "checksum_algorithm", "get_mime",
                    "get_attributes", "get_md5"),
            ArgSpec.requires("path|dest|name"));

    private static final Map<String, String> CHECKSUM_COMMANDS = Map.of("sha1", "sha1sum", "md5", "md5sum",
            "sha224", "sha224sum", "sha256", "sha256sum", "sha384", "sha384sum", "sha512", "sha512sum");

    public String name() {
        return "stat";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome run(ModuleContext ctx) throws TransportException, ModuleException {
        String path = path(ctx);
        boolean follow = ctx.bool("follow", false);
        String algorithm = ctx.string("checksum_algorithm", "sha1").strip().toLowerCase();
        String command = CHECKSUM_COMMANDS.get(algorithm);
        if (command == null) {
            throw new ModuleException("argument 'checksum_algorithm' must be one of "
                    + new java.util.TreeSet<>(CHECKSUM_COMMANDS.keySet()) + ", found '" + algorithm + "'");
        }
        ctx.bool("get_mime", false);
        ctx.bool("get_attributes", false);
        ctx.bool("get_md5", false);
        try {
            RemoteFiles.Info info = RemoteFiles.inspect(ctx, name(), path, follow,
                    ctx.bool("get_checksum", true) ? command : null, false);
            return TaskOutcome.ok("").withData(Map.of("stat", info.toStatMap()));
        } catch (RemoteFiles.HostFailure e) {
            return TaskOutcome.failed(e.getMessage());
        }
    }

    /** {@code path}, or its Ansible aliases {@code dest} and {@code name}. */
    static String path(ModuleContext ctx) throws ModuleException {
        for (String k : new String[] {"path", "dest", "name", "destfile"}) {
            String v = ctx.string(k);
            if (v != null) {
                if (v.isBlank()) throw new ModuleException("argument '" + k + "' must not be empty");
                return v;
            }
        }
        throw new ModuleException("missing required argument 'path'");
    }
}
