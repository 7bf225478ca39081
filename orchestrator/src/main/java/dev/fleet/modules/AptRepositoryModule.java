package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code apt_repository}: adds or removes a one-line apt source ({@code deb ...}/{@code deb-src ...}) as Ansible
 * 2.14 does, without python-apt: reads {@code /etc/apt/sources.list} and {@code sources.list.d/*.list} in one
 * round trip, edits them in memory ({@link AptSourcesList}: a commented-out copy of the line is re-enabled, a new
 * one goes to the file Ansible names), and writes back only the files whose text changed, then runs
 * {@code apt-get update} ({@link AptCacheUpdate}) when something changed; if that keeps failing the files are put
 * back. {@code ppa:} repositories are refused: they need Launchpad, on the internet. {@code install_python_apt},
 * {@code validate_certs} and {@code codename} are accepted and have no effect (fleet needs no Python on the host,
 * fetches nothing itself, and {@code codename} only matters for PPAs).
 */
final class AptRepositoryModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.str("repo").required(), Arg.str("state").choices("absent", "present").defaultsTo("present"),
                    Arg.raw("mode"), Arg.bool("update_cache").aliases("update-cache").defaultsTo(true),
                    Arg.integer("update_cache_retries").defaultsTo(5),
                    Arg.integer("update_cache_retry_max_delay").defaultsTo(12), Arg.str("filename"),
                    Arg.bool("install_python_apt").defaultsTo(true), Arg.bool("validate_certs").defaultsTo(true),
                    Arg.str("codename"))
            .build();

    /** Prints each sources file as {@code path<TAB>base64}, in the order apt reads them; exit 4: no apt. */
    private static final String READ_SOURCES = "[ -d /etc/apt ] || exit 4; for f in " + AptSourcesList.SOURCES_LIST
            + " " + AptSourcesList.SOURCES_DIR + "/*.list; do [ -f \"$f\" ] || continue; "
            + "printf '%s\\t' \"$f\"; base64 -w0 < \"$f\" || exit 3; echo; done";

    public String name() {
        return "apt_repository";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException {
        String repo = ctx.str("repo");
        String state = ctx.str("state");
        Integer mode = FileAttrs.parseMode(ctx.raw("mode"));
        if (repo.isEmpty()) return TaskOutcome.failed("Please set argument 'repo' to a non-empty value");
        if (repo.startsWith("ppa:")) {
            return TaskOutcome.failed("apt_repository: PPA repositories (" + repo + ") are looked up on Launchpad,"
                    + " which fleet does not contact; give the PPA's 'deb ...' line as repo instead");
        }
        String source;
        try {
            source = AptSourcesList.sourceOf(repo);
        } catch (AptSourcesList.InvalidSource e) {
            return TaskOutcome.failed("Invalid repository string: " + e.getMessage());
        }
        CommandResult read = RemoteFiles.sh(ctx, READ_SOURCES);
        if (read.exitCode() == 4) return TaskOutcome.failed("Module apt_repository is not supported on target.");
        if (read.exitCode() != 0) {
            return TaskOutcome.failed("apt_repository: cannot read the apt sources: "
                    + RemoteFiles.reason(read.stderr()));
        }
        Map<String, String> texts = parseListing(read.stdout());
        AptSourcesList sources = new AptSourcesList(texts);
        Map<String, String> before = sources.dump();
        if (state.equals("present")) {
            sources.add(source, AptSourcesList.fileFor(source, ctx.str("filename")));
        } else {
            sources.remove(source);
        }
        Map<String, String> after = sources.dump();
        boolean changed = !before.equals(after);
        Set<String> added = new LinkedHashSet<>(after.keySet());
        added.removeAll(before.keySet());
        Set<String> removed = new LinkedHashSet<>(before.keySet());
        removed.removeAll(after.keySet());

        Map<String, Object> data = new LinkedHashMap<>();
        data.put("repo", repo);
        data.put("state", state);
        data.put("diff", changed && ctx.diff() ? diff(before, after) : Map.of());
        data.put("sources_added", List.copyOf(added));
        data.put("sources_removed", List.copyOf(removed));
        if (!changed || ctx.check()) {
            return (changed ? TaskOutcome.changed("") : TaskOutcome.ok("")).withData(data);
        }
        try {
            save(ctx, texts, after, sources.newRepoFiles(), mode);
            if (ctx.bool("update_cache")) {
                String err = AptCacheUpdate.run(ctx, ctx.integer("update_cache_retries"),
                        ctx.integer("update_cache_retry_max_delay"));
                if (err != null) {
                    restore(ctx, texts, after);
                    return TaskOutcome.failed("Failed to update apt cache: " + err).withData(data);
                }
            }
        } catch (RemoteFiles.HostFailure e) {
            restoreQuietly(ctx, texts, after);
            return TaskOutcome.failed(e.getMessage());
        }
        return TaskOutcome.changed("").withData(data);
    }

    /** {@link #READ_SOURCES}'s output as path to text. */
    static Map<String, String> parseListing(String stdout) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : stdout.split("\n")) {
            int tab = line.indexOf('\t');
            if (tab < 0) continue;
            byte[] bytes = Base64.getDecoder().decode(line.substring(tab + 1).strip());
            out.put(line.substring(0, tab), new String(bytes, StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Ansible's diff: one before/after entry per file, /dev/null for a file that is not there on one side. */
    private static List<Map<String, Object>> diff(Map<String, String> before, Map<String, String> after) {
        Set<String> names = new LinkedHashSet<>(before.keySet());
        names.addAll(after.keySet());
        List<Map<String, Object>> out = new ArrayList<>();
        for (String f : names) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("before", before.getOrDefault(f, ""));
            d.put("after", after.getOrDefault(f, ""));
            d.put("before_header", before.containsKey(f) ? f : "/dev/null");
            d.put("after_header", after.containsKey(f) ? f : "/dev/null");
            out.add(d);
        }
        return out;
    }

    /**
     * Writes each file whose text changed and deletes each file left without lines. {@code mode} applies to the
     * files a new source went to, as in Ansible; otherwise a file keeps its mode and a new one gets 0644 (umask).
     */
    private void save(ModuleContext ctx, Map<String, String> original, Map<String, String> after,
            Set<String> newRepoFiles, Integer mode) throws TransportException, RemoteFiles.HostFailure {
        for (Map.Entry<String, String> e : after.entrySet()) {
            String path = e.getKey();
            if (e.getValue().equals(original.get(path))) continue;
            RemoteFiles.Info info = RemoteFiles.inspect(ctx, name(), path, true, null, false);
            Integer fileMode = newRepoFiles.contains(path) ? mode : null;
            RemoteFiles.write(ctx, name(), path, e.getValue().getBytes(StandardCharsets.UTF_8),
                    new FileAttrs(fileMode, null, null), info, true, false, null);
        }
        for (String path : original.keySet()) {
            if (!after.containsKey(path)) remove(ctx, path);
        }
    }

    /** Puts every file back as it was read: new files go, changed and removed ones get their old text. */
    private void restore(ModuleContext ctx, Map<String, String> original, Map<String, String> after)
            throws TransportException, RemoteFiles.HostFailure {
        for (String path : after.keySet()) {
            if (!original.containsKey(path)) remove(ctx, path);
        }
        for (Map.Entry<String, String> e : original.entrySet()) {
            if (e.getValue().equals(after.get(e.getKey()))) continue;
            RemoteFiles.Info info = RemoteFiles.inspect(ctx, name(), e.getKey(), true, null, false);
            RemoteFiles.write(ctx, name(), e.getKey(), e.getValue().getBytes(StandardCharsets.UTF_8),
                    new FileAttrs(null, null, null), info, true, false, null);
        }
    }

    private void restoreQuietly(ModuleContext ctx, Map<String, String> original, Map<String, String> after)
            throws TransportException {
        try {
            restore(ctx, original, after);
        } catch (RemoteFiles.HostFailure ignored) {
            // The first failure is the one reported.
        }
    }

    private void remove(ModuleContext ctx, String path) throws TransportException, RemoteFiles.HostFailure {
        CommandResult r = RemoteFiles.sh(ctx, "rm -f -- " + dev.fleet.shell.ShellQuote.quote(path));
        if (r.exitCode() != 0) {
            throw new RemoteFiles.HostFailure(name() + ": cannot remove " + path + ": "
                    + RemoteFiles.reason(r.stderr()));
        }
    }
}
