package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code deb822_repository} (Ansible 2.15): writes {@code /etc/apt/sources.list.d/<slug>.sources}, one deb822
 * stanza built from the arguments in Ansible's field order and spelling ({@code X-Repolib-Name}, {@code URIs},
 * {@code Signed-By}, ...), replacing the file only when its text differs and giving it {@code mode}.
 * {@code signed_by} is a path on the host (used as is), a URL (downloaded on the host into
 * {@code /etc/apt/keyrings/<slug>.asc} or {@code .gpg}) or the key itself (inlined). {@code state: absent}
 * removes the file and the slug's downloaded keys.
 */
final class Deb822RepositoryModule implements Module {
    static final String KEYRINGS_DIR = "/etc/apt/keyrings";
    private static final Pattern URL_SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:.*", Pattern.DOTALL);

    /** The deb822 fields, in the order Ansible writes them; bool, int, list or str. */
    private static final List<Arg> FIELDS = List.of(Arg.bool("allow_downgrade_to_insecure"),
            Arg.bool("allow_insecure"), Arg.bool("allow_weak"), Arg.list("architectures", ArgType.STR),
            Arg.bool("by_hash"), Arg.bool("check_date"), Arg.bool("check_valid_until"),
            Arg.list("components", ArgType.STR), Arg.integer("date_max_future"), Arg.bool("enabled"),
            Arg.str("inrelease_path"), Arg.list("languages", ArgType.STR), Arg.str("name").required(),
            Arg.bool("pdiffs"), Arg.str("signed_by"), Arg.list("suites", ArgType.STR),
            Arg.list("targets", ArgType.STR), Arg.bool("trusted"),
            Arg.list("types", ArgType.STR).choices("deb", "deb-src"),
            Arg.list("uris", ArgType.STR));

    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(FIELDS)
            .add(Arg.raw("mode").defaultsTo("0644"),
                    Arg.str("state").choices("present", "absent").defaultsTo("present"))
            .build();

    public String name() {
        return "deb822_repository";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException {
        Integer mode = FileAttrs.parseMode(ctx.raw("mode"));
        String slug = slug(ctx.str("name"));
        String dest = "/etc/apt/sources.list.d/" + slug + ".sources";
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("dest", dest);
        try {
            if (ctx.str("state").equals("absent")) return absent(ctx, slug, dest, data);
            boolean changed = false;
            StringBuilder stanza = new StringBuilder();
            for (Arg field : FIELDS) {
                // types defaults to [deb]; the default is applied here as the spec's choices are per item.
                boolean defaultTypes = field.name().equals("types") && !ctx.has("types");
                if (!ctx.has(field.name()) && !defaultTypes) continue;
                Object v = defaultTypes ? List.of("deb") : ctx.raw(field.name());
                String value;
                if (v instanceof Boolean b) {
                    value = b ? "yes" : "no";
                } else if (v instanceof List<?> l) {
                    value = String.join(" ", l.stream().map(String::valueOf).toList());
                } else if (field.name().equals("signed_by")) {
                    Deb822Keys.SignedBy key = Deb822Keys.place(ctx, name(), String.valueOf(v), slug,
                            URL_SCHEME.matcher(String.valueOf(v)).matches());
                    changed |= key.changed();
                    if (key.file() != null) data.put("key_filename", key.file());
                    value = key.value();
                } else {
                    value = String.valueOf(v);
                }
                if (value.contains("\n")) value = multiline(value);
                stanza.append(fieldName(field.name())).append(value.startsWith("\n") ? ":" : ": ").append(value)
                        .append('\n');
            }
            String repo = stanza.toString();
            data.put("repo", repo);
            RemoteFiles.Info info = RemoteFiles.inspect(ctx, name(), dest, true, "sha1sum", false);
            byte[] bytes = repo.getBytes(StandardCharsets.UTF_8);
            FileAttrs attrs = new FileAttrs(mode, null, null);
            if (!info.exists() || !FilePlacement.sha1(bytes).equals(info.checksum())) {
                changed = true;
                if (!ctx.check()) RemoteFiles.write(ctx, name(), dest, bytes, attrs, info, true, false, null);
            } else {
                changed |= RemoteFiles.applyAttrs(ctx, name(), info, attrs);
            }
            return (changed ? TaskOutcome.changed("") : TaskOutcome.ok("")).withData(data);
        } catch (RemoteFiles.HostFailure e) {
            return TaskOutcome.failed(e.getMessage());
        }
    }

    private TaskOutcome absent(ModuleContext ctx, String slug, String dest, Map<String, Object> data)
            throws TransportException, RemoteFiles.HostFailure {
        List<String> paths = List.of(dest, Deb822Keys.keyFile(slug, "asc"), Deb822Keys.keyFile(slug, "gpg"));
        StringBuilder s = new StringBuilder();
        for (String p : paths) {
            String q = ShellQuote.quote(p);
            s.append("if [ -e ").append(q).append(" ]; then echo found; ")
                    .append(ctx.check() ? "" : "rm -f -- " + q + " || exit 2; ").append("fi\n");
        }
        CommandResult r = RemoteFiles.sh(ctx, s.toString());
        if (r.exitCode() != 0) {
            throw new RemoteFiles.HostFailure(name() + ": cannot remove " + dest + ": "
                    + RemoteFiles.reason(r.stderr()));
        }
        data.put("key_filename", Deb822Keys.keyFile(slug, "gpg"));
        boolean changed = r.stdout().contains("found");
        return (changed ? TaskOutcome.changed("") : TaskOutcome.ok("")).withData(data);
    }

    /** Ansible's file name for a repository name: lower case, runs of '_' and blanks to '-', only [a-z0-9-]. */
    static String slug(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[_\\s]+", "-").replaceAll("[^a-z0-9-]+", "");
    }

    /** Ansible's field names: {@code X-Repolib-Name}, {@code URIs}, else Title-Case with '-' for '_'. */
    static String fieldName(String arg) {
        if (arg.equals("name")) return "X-Repolib-Name";
        if (arg.equals("uris")) return "URIs";
        StringBuilder out = new StringBuilder();
        boolean start = true;
        for (char c : arg.replace('_', '-').toCharArray()) {
            out.append(start ? Character.toUpperCase(c) : Character.toLowerCase(c));
            start = !Character.isLetter(c);
        }
        return out.toString();
    }

    /** A multi-line value as deb822 folds it: each line indented by four spaces, empty lines as '.'. */
    static String multiline(String v) {
        StringBuilder out = new StringBuilder();
        for (String line : v.strip().split("\\R", -1)) {
            out.append("\n    ").append(line.strip().isEmpty() ? "." : line.strip());
        }
        return out.toString();
    }
}
