package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ansible.posix.mount} on Linux: the fstab entry ({@link FstabLines}) and the mount itself, with the
 * collection's states: {@code present}/{@code absent_from_fstab} edit fstab only, {@code mounted} also mounts
 * (or remounts when the entry changed), {@code unmounted} unmounts, {@code absent} removes the entry, unmounts
 * and removes the mount point, {@code remounted} remounts, {@code ephemeral} mounts without fstab. Whether a
 * path is mounted is read as the collection reads it ({@link MountPoint}). Returns the collection's keys: the
 * entry's fields, {@code fstab}, {@code boot} and {@code backup_file}.
 */
final class MountModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.bool("boot").defaultsTo(true), Arg.str("dump").defaultsTo("0"), Arg.str("fstab"),
                    Arg.str("fstype"), Arg.path("path").required().aliases("name"), Arg.str("opts"),
                    Arg.str("passno").defaultsTo("0"), Arg.path("src"), Arg.bool("backup").defaultsTo(false),
                    Arg.str("state").required().choices("absent", "absent_from_fstab", "mounted", "present",
                            "unmounted", "remounted", "ephemeral"))
            .requiredIf("state", "mounted", "src", "fstype")
            .requiredIf("state", "present", "src", "fstype")
            .requiredIf("state", "ephemeral", "src", "fstype")
            .build();

    public String name() {
        return "mount";
    }

    @Override
    public String collection() {
        return "ansible.posix";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    /** The task's settings after the collection's defaults and the boot/noauto rule. */
    private record Settings(FstabLines.Entry entry, String fstab, String boot, List<String> warnings) {}

    private static Settings settings(ModuleContext ctx) {
        List<String> warnings = new ArrayList<>();
        String opts = ctx.has("opts") ? ctx.str("opts") : "defaults";
        String boot = "yes";
        List<String> split = List.of(opts.split(",", -1));
        if (split.contains("noauto")) {
            warnings.add("Ignore the 'boot' due to 'opts' contains 'noauto'.");
        } else if (!ctx.bool("boot")) {
            boot = "no";
            if (split.contains("defaults")) warnings.add("Ignore the 'boot' due to 'opts' contains 'defaults'.");
            else opts = opts + ",noauto";
        }
        String fstab = ctx.has("fstab") ? ctx.str("fstab") : "/etc/fstab";
        return new Settings(new FstabLines.Entry(ctx.str("src"), ctx.str("path"), ctx.str("fstype"), opts,
                ctx.str("dump"), ctx.str("passno")), fstab, boot, warnings);
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException {
        Settings s = settings(ctx);
        String state = ctx.str("state");
        String path = s.entry().path();
        MountCommands cmd = new MountCommands(ctx, s.entry(), s.fstab(), state);
        try {
            RemoteFiles.Info fstab = null;
            if (!state.equals("ephemeral")) {
                fstab = RemoteFiles.inspect(ctx, name(), s.fstab(), true, null, true);
                if (!fstab.exists()) {
                    // As the collection, even under --check: a missing fstab (and its directory) is created empty.
                    CommandResult r = RemoteFiles.sh(ctx, "f=" + ShellQuote.quote(s.fstab())
                            + "; mkdir -p -- \"$(dirname -- \"$f\")\" && : >> \"$f\"");
                    if (r.exitCode() != 0) {
                        return fail("Failed to open " + s.fstab() + " due to " + RemoteFiles.reason(r.stderr()), s);
                    }
                    fstab = RemoteFiles.inspect(ctx, name(), s.fstab(), true, null, true);
                }
            }
            String text = fstab == null ? "" : RemoteFiles.text(name(), fstab);
            String backupFile = "";
            boolean changed = false;
            switch (state) {
                case "absent_from_fstab", "absent" -> {
                    FstabLines.Edit edit = FstabLines.unset(text, s.entry());
                    changed = edit.changed();
                    if (changed && !ctx.check()) {
                        backupFile = save(ctx, s, edit, fstab);
                        if (state.equals("absent")) {
                            MountPoint at = MountPoint.probe(ctx, path);
                            if (at.mounted(null)) {
                                String err = cmd.umount();
                                if (err != null) return fail("Error unmounting " + path + ": " + err, s);
                            }
                            String err = MountPoint.removeDirectory(ctx, path);
                            if (err != null) return fail("Error rmdir " + path + ": " + err, s);
                        }
                    }
                }
                case "unmounted" -> {
                    if (MountPoint.probe(ctx, path).mounted(null)) {
                        if (!ctx.check()) {
                            String err = cmd.umount();
                            if (err != null) return fail("Error unmounting " + path + ": " + err, s);
                        }
                        changed = true;
                    }
                }
                case "mounted", "ephemeral" -> {
                    List<String> created = List.of();
                    if (!ctx.check()) {
                        MountPoint.Made made = MountPoint.makeDirectories(ctx, path);
                        if (made.error() != null) return fail("Error making dir " + path + ": " + made.error(), s);
                        created = made.created();
                    }
                    boolean ephemeral = state.equals("ephemeral");
                    if (!ephemeral) {
                        FstabLines.Edit edit = FstabLines.set(text, s.entry());
                        changed = edit.changed();
                        if (changed && !ctx.check()) backupFile = save(ctx, s, edit, fstab);
                    }
                    MountPoint at = MountPoint.probe(ctx, path);
                    String err = null;
                    if (at.ismount() || at.table().mounted(path, s.entry().src())) {
                        if (changed && !ctx.check()) err = cmd.remount();
                        if (ephemeral) {
                            if (!at.sameSource(ctx, s.entry().src())) {
                                return fail("Ephemeral mount point is already mounted with a different source than"
                                        + " the specified one. Failing in order to prevent an unwanted unmount or"
                                        + " override operation. Try replacing this command with a \"state:"
                                        + " unmounted\" followed by a \"state: ephemeral\", or use a different"
                                        + " destination path.", s);
                            }
                            changed = true;
                            if (!ctx.check()) err = cmd.remount();
                        }
                    } else {
                        changed = true;
                        if (!ctx.check()) err = cmd.mount();
                    }
                    if (err != null) {
                        if (!ephemeral) {
                            write(ctx, s, text, RemoteFiles.inspect(ctx, name(), s.fstab(), true, null, false), false);
                        }
                        MountPoint.removeCreated(ctx, created);
                        return fail("Error mounting " + path + ": " + err, s);
                    }
                }
                case "present" -> {
                    FstabLines.Edit edit = FstabLines.set(text, s.entry());
                    changed = edit.changed();
                    if (changed && !ctx.check()) backupFile = save(ctx, s, edit, fstab);
                }
                default -> { // remounted
                    if (!ctx.check()) {
                        String err = cmd.remount();
                        if (err != null) return fail("Error remounting " + path + ": " + err, s);
                    }
                    changed = true;
                }
            }
            TaskOutcome done = changed ? TaskOutcome.changed("") : TaskOutcome.ok("");
            return done.withData(result(s, backupFile));
        } catch (RemoteFiles.HostFailure e) {
            return fail(e.getMessage(), s);
        } catch (MountCommands.Refused e) {
            return fail(e.getMessage(), s);
        }
    }

    private static String save(ModuleContext ctx, Settings s, FstabLines.Edit edit, RemoteFiles.Info fstab)
            throws TransportException, RemoteFiles.HostFailure {
        return write(ctx, s, edit.text(), fstab, ctx.bool("backup"));
    }

    /** Writes fstab in place of the old one (mode and owner kept), with the backup when asked. */
    private static String write(ModuleContext ctx, Settings s, String text, RemoteFiles.Info fstab,
            boolean backup) throws TransportException, RemoteFiles.HostFailure {
        return RemoteFiles.write(ctx, "mount", s.fstab(), text.getBytes(StandardCharsets.UTF_8),
                new FileAttrs(null, null, null), fstab, false, backup, null);
    }

    /** The collection's result keys (its {@code args}). */
    private static Map<String, Object> result(Settings s, String backupFile) {
        Map<String, Object> data = new LinkedHashMap<>();
        FstabLines.Entry e = s.entry();
        data.put("name", e.path());
        data.put("opts", e.opts());
        data.put("dump", e.dump());
        data.put("passno", e.passno());
        data.put("fstab", s.fstab());
        data.put("boot", s.boot());
        data.put("backup_file", backupFile);
        if (e.src() != null) data.put("src", e.src());
        if (e.fstype() != null) data.put("fstype", e.fstype());
        if (!s.warnings().isEmpty()) data.put("warnings", List.copyOf(s.warnings()));
        return data;
    }

    private static TaskOutcome fail(String msg, Settings s) {
        TaskOutcome failed = TaskOutcome.failed(msg);
        return s.warnings().isEmpty() ? failed : failed.withData(Map.of("warnings", List.copyOf(s.warnings())));
    }
}
