package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code mount_facts} (Ansible 2.18): the host's mounts from its mount tables ({@code /etc/mtab},
 * {@code /proc/mounts}, {@code /etc/fstab}, any file given, or the {@code mount} command's output), filtered by
 * device and file system type patterns, each with its sizes (statvfs, as {@code stat -f} reports it), its UUID
 * and {@code ansible_context} (the source and the line). {@code ansible_facts.mount_points} holds the first mount
 * seen per mount point, {@code aggregate_mounts} all of them when asked. Two round trips: the sources, then the
 * sizes of the mounts kept. Linux formats only (fstab and Linux {@code mount} output); the Solaris and AIX tables
 * are not read. Never changes anything.
 */
final class MountFactsModule implements Module {
    static final List<String> STATIC_SOURCES = List.of("/etc/fstab", "/etc/vfstab", "/etc/filesystems");
    static final List<String> DYNAMIC_SOURCES = List.of("/etc/mtab", "/proc/mounts", "/etc/mnttab");

    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.list("sources", ArgType.STR), Arg.raw("mount_binary").defaultsTo("mount"),
                    Arg.list("devices", ArgType.STR), Arg.list("fstypes", ArgType.STR), Arg.decimal("timeout"),
                    Arg.str("on_timeout").choices("error", "warn", "ignore").defaultsTo("error"),
                    Arg.bool("include_aggregate_mounts"))
            .build();

    public String name() {
        return "mount_facts";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException {
        Double timeout = ctx.has("timeout") ? ctx.decimal("timeout") : null;
        if (timeout != null && timeout <= 0) {
            return TaskOutcome.failed("argument 'timeout' must be a positive number or null, not " + timeout);
        }
        Object binary = ctx.args().get("mount_binary");
        if (binary != null && !(binary instanceof String)) {
            return TaskOutcome.failed("argument 'mount_binary' must be a string or null, not " + binary);
        }
        List<String> sources = new ArrayList<>();
        for (String s : ctx.has("sources") ? ctx.strings("sources") : List.of("all")) {
            if (s.isEmpty()) return TaskOutcome.failed("sources contains an empty string");
            if (s.equals("dynamic") || s.equals("all")) sources.addAll(DYNAMIC_SOURCES);
            if (s.equals("static") || s.equals("all")) sources.addAll(STATIC_SOURCES);
            else if (!s.equals("dynamic") && !s.equals("all")) sources.add(s);
        }
        List<String> warnings = new ArrayList<>();
        if (new LinkedHashSet<>(sources).size() < sources.size()) {
            warnings.add("mount_facts option 'sources' contains duplicate entries, repeat sources will be ignored: "
                    + MountTables.pythonList(sources));
        }
        String mountBinary = (String) binary;
        CommandResult read = ctx.session().exec(MountTables.readScript(sources, mountBinary), ctx.timeout());
        MountTables tables = MountTables.parse(read.stdout());
        List<MountTables.Mount> mounts = tables.mounts(sources);
        boolean fallback = mountBinary != null && sources.stream().anyMatch(DYNAMIC_SOURCES::contains)
                && mounts.stream().noneMatch(m -> m.source().equals("mount") || DYNAMIC_SOURCES.contains(m.source()));
        if (fallback) {
            CommandResult r = ctx.session().exec(MountTables.mountCommand(mountBinary), ctx.timeout());
            if (r.exitCode() != 0) {
                return TaskOutcome.failed("Failed to execute " + mountBinary + ": " + r.stderr().strip());
            }
            mounts.addAll(MountTables.fromMountOutput(r.stdout()));
        }
        List<String> devices = ctx.has("devices") ? ctx.strings("devices") : List.of("*");
        List<String> fstypes = ctx.has("fstypes") ? ctx.strings("fstypes") : List.of("*");
        List<Map<String, Object>> kept = new ArrayList<>();
        for (MountTables.Mount m : mounts) {
            String device = tables.device(m.device());
            if (devices.stream().noneMatch(p -> ArchiveFormat.fnmatch(p, device))) continue;
            if (fstypes.stream().noneMatch(p -> ArchiveFormat.fnmatch(p, m.fstype()))) continue;
            kept.add(m.fields(device, tables.uuid(m.device(), device)));
        }
        String sizeFailure = addSizes(ctx, kept, timeout, warnings);
        if (sizeFailure != null) return TaskOutcome.failed(sizeFailure);
        Map<String, Object> points = new LinkedHashMap<>();
        Map<String, List<String>> bySource = new LinkedHashMap<>();
        for (Map<String, Object> m : kept) {
            points.putIfAbsent((String) m.get("mount"), m);
            @SuppressWarnings("unchecked")
            String source = (String) ((Map<String, Object>) m.get("ansible_context")).get("source");
            bySource.computeIfAbsent(source, k -> new ArrayList<>()).add((String) m.get("mount"));
        }
        Object aggregate = ctx.args().get("include_aggregate_mounts");
        if (aggregate == null) {
            List<String> repeats = new ArrayList<>();
            bySource.forEach((src, mps) -> {
                if (Set.copyOf(mps).size() != mps.size()) repeats.add(src + " (" + MountTables.pythonList(mps) + ")");
            });
            if (!repeats.isEmpty()) {
                warnings.add("mount_facts: ignoring repeat mounts in the following sources: " + String.join(", ",
                        repeats) + ". You can disable this warning by configuring the 'include_aggregate_mounts' "
                        + "option as True or False.");
            }
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("mount_points", points);
        facts.put("aggregate_mounts", ctx.bool("include_aggregate_mounts") ? kept : List.of());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("ansible_facts", facts);
        if (!warnings.isEmpty()) data.put("warnings", List.copyOf(warnings));
        return TaskOutcome.ok("").withData(data);
    }

    /** statvfs of every mount kept, in one round trip; a timed-out one fails, warns or is skipped (on_timeout). */
    private static String addSizes(ModuleContext ctx, List<Map<String, Object>> mounts, Double timeout,
            List<String> warnings) throws TransportException {
        if (mounts.isEmpty()) return null;
        StringBuilder script = new StringBuilder();
        String limit = timeout == null ? "" : "timeout " + timeout + " ";
        for (int i = 0; i < mounts.size(); i++) {
            script.append("printf '@@%d '; ").append(limit).append("stat -f -c '%S %s %b %a %c %d' -- ")
                    .append(ShellQuote.quote((String) mounts.get(i).get("mount"))).append(" 2>/dev/null")
                    .append(" || echo \"failed $?\"\n");
        }
        CommandResult r = ctx.session().exec(script.toString(), ctx.timeout());
        Map<Integer, String> answers = new LinkedHashMap<>();
        for (String line : r.stdout().split("\n")) {
            if (!line.startsWith("@@")) continue;
            int sp = line.indexOf(' ');
            if (sp > 2) answers.put(Integer.parseInt(line.substring(2, sp)), line.substring(sp + 1).strip());
        }
        for (int i = 0; i < mounts.size(); i++) {
            Map<String, Object> m = mounts.get(i);
            String a = answers.getOrDefault(i, "");
            if (a.equals("failed 124")) {
                String msg = "Timed out getting mount size for mount " + m.get("mount") + " (type " + m.get("fstype")
                        + ")";
                switch (ctx.str("on_timeout")) {
                    case "error" -> {
                        return msg;
                    }
                    case "warn" -> warnings.add(msg);
                    default -> { }
                }
                continue;
            }
            Map<String, Object> sizes = MountTables.sizes(a);
            // as Ansible: the sizes first, then ansible_context and uuid
            Object context = m.remove("ansible_context");
            Object uuid = m.remove("uuid");
            m.putAll(sizes);
            m.put("ansible_context", context);
            m.put("uuid", uuid);
        }
        return null;
    }
}
