package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.transport.TransportException;
import java.util.Map;

/**
 * {@code stat}: facts about a remote path in one round trip ({@code stat -c}, plus {@code sha1sum} for a regular
 * file), returned as Ansible does under {@code stat}: {@code exists}, {@code mode} ("0644"), {@code isreg},
 * {@code pw_name}, {@code checksum}, ... Never changes anything. {@code get_mime} and {@code get_attributes}
 * are accepted and ignored.
 */
final class StatModule implements Module {
    private static final Map<String, String> CHECKSUM_COMMANDS = Map.of("sha1", "sha1sum", "md5", "md5sum",
            "sha224", "sha224sum", "sha256", "sha256sum", "sha384", "sha384sum", "sha512", "sha512sum");

    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.path("path").required().aliases("dest", "name"), Arg.bool("follow").defaultsTo(false),
                    Arg.bool("get_checksum").defaultsTo(true),
                    Arg.str("checksum_algorithm").aliases("checksum", "checksum_algo").defaultsTo("sha1")
                            .choices(new java.util.TreeSet<>(CHECKSUM_COMMANDS.keySet()).toArray()),
                    // accepted for Ansible playbooks, not computed
                    Arg.bool("get_mime").aliases("mime", "mime_type", "mime-type").defaultsTo(true),
                    Arg.bool("get_attributes").aliases("attr", "attributes").defaultsTo(true),
                    Arg.bool("get_md5").defaultsTo(false))
            .build();

    public String name() {
        return "stat";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException {
        String command = CHECKSUM_COMMANDS.get(ctx.str("checksum_algorithm"));
        try {
            RemoteFiles.Info info = RemoteFiles.inspect(ctx, name(), ctx.str("path"), ctx.bool("follow"),
                    ctx.bool("get_checksum") ? command : null, false);
            return TaskOutcome.ok("").withData(Map.of("stat", info.toStatMap()));
        } catch (RemoteFiles.HostFailure e) {
            return TaskOutcome.failed(e.getMessage());
        }
    }
}
