package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code ansible.posix.sysctl} on Linux: keeps {@code name=value} in {@code sysctl_file} (every line stripped, a
 * key's later duplicates dropped, as the collection rewrites the file), sets the running value with
 * {@code sysctl -w} when {@code sysctl_set} and reloads the file with {@code sysctl -p} when {@code reload} and
 * something changed. The running value is read with {@code sysctl -e -n}. Returns only {@code changed}, as
 * Ansible does.
 */
final class SysctlModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.str("name").required().aliases("key"), Arg.str("value").aliases("val"),
                    Arg.str("state").choices("present", "absent").defaultsTo("present"),
                    Arg.bool("reload").defaultsTo(true), Arg.bool("sysctl_set").defaultsTo(false),
                    Arg.bool("ignoreerrors").defaultsTo(false),
                    Arg.path("sysctl_file").defaultsTo("/etc/sysctl.conf"))
            .requiredIf("state", "present", "value")
            .build();
    /** procps' sysctl: a key it could not set is reported on stderr while the exit code may still be 0. */
    private static final Pattern SET_FAILED = Pattern.compile(
            "^sysctl: setting key \"[^\"]+\": (Invalid argument|Read-only file system)$", Pattern.MULTILINE);
    private static final Set<String> TRUE = Set.of("y", "yes", "on", "1", "true", "t");
    private static final Set<String> FALSE = Set.of("n", "no", "off", "0", "false", "f");
    private static final String C_LOCALE = "LANG=C LC_ALL=C LC_MESSAGES=C ";

    public String name() {
        return "sysctl";
    }

    @Override
    public String collection() {
        return "ansible.posix";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException {
        String key = ctx.str("name").strip();
        boolean present = ctx.str("state").equals("present");
        if (key.isEmpty()) return TaskOutcome.failed("name cannot be blank");
        String value = parseValue(ctx.str("value"));
        if (present && value.isEmpty()) return TaskOutcome.failed("value cannot be blank");
        String path = ctx.str("sysctl_file");
        try {
            String procValue = currentValue(ctx, key);
            RemoteFiles.Info file = RemoteFiles.inspect(ctx, name(), path, true, null, true);
            String text = file.isReg() ? RemoteFiles.text(name(), file) : "";
            SysctlFile parsed = SysctlFile.parse(text, key, present ? value : null);
            String fileValue = parsed.values().get(key);
            boolean changed = false;
            boolean writeFile = false;
            boolean setProc = false;
            if (fileValue == null) {
                changed = present;
                writeFile = present;
            } else if (!present && !fileValue.isEmpty()) {
                changed = true;
                writeFile = true;
            } else if (!fileValue.equals(present ? value : "")) {
                changed = true;
                writeFile = true;
            } else if (ctx.bool("reload") && !sameWords(procValue, value)) {
                changed = true;
            }
            if (ctx.bool("sysctl_set") && present && !sameWords(procValue, value)) {
                changed = true;
                setProc = procValue != null;
            }
            if (!ctx.check()) {
                if (setProc) {
                    String failed = setValue(ctx, key, value);
                    if (failed != null) return TaskOutcome.failed(failed);
                }
                if (writeFile) {
                    RemoteFiles.write(ctx, name(), path, parsed.rewritten().getBytes(StandardCharsets.UTF_8),
                            new FileAttrs(null, null, null), file, false, false, null);
                }
                if (changed && ctx.bool("reload")) {
                    String failed = reload(ctx, path);
                    if (failed != null) return TaskOutcome.failed(failed);
                }
            }
            return changed ? TaskOutcome.changed("") : TaskOutcome.ok("");
        } catch (RemoteFiles.HostFailure e) {
            return TaskOutcome.failed(e.getMessage());
        }
    }

    /** As the collection: booleans become 1 and 0, anything else is stripped; no value is "". */
    static String parseValue(String value) {
        if (value == null) return "";
        String lower = value.toLowerCase(Locale.ROOT);
        if (TRUE.contains(lower)) return "1";
        if (FALSE.contains(lower)) return "0";
        return value.strip();
    }

    /** Values compare word by word: {@code "4096  87380"} equals {@code "4096 87380"}. */
    static boolean sameWords(String a, String b) {
        if (a == null || b == null) return false;
        return List.of(a.strip().split("\\s+")).equals(List.of(b.strip().split("\\s+")));
    }

    /** The running value, or null when {@code sysctl} cannot read it. */
    private static String currentValue(ModuleContext ctx, String key) throws TransportException {
        CommandResult r = RemoteFiles.sh(ctx, C_LOCALE + "sysctl -e -n " + ShellQuote.quote(key));
        return r.exitCode() == 0 ? r.stdout() : null;
    }

    /** {@code sysctl -w key=value}; null when it worked, else the collection's message. */
    static String setValue(ModuleContext ctx, String key, String value) throws TransportException {
        String flags = ctx.bool("ignoreerrors") ? "-e -w " : "-w ";
        CommandResult r = RemoteFiles.sh(ctx, C_LOCALE + "sysctl " + flags + ShellQuote.quote(key + "=" + value));
        if (r.exitCode() != 0 || SET_FAILED.matcher(r.stderr()).find()) {
            return "setting " + key + " failed: " + r.stdout() + r.stderr();
        }
        return null;
    }

    /** {@code sysctl -p file}; null when it worked, else the collection's message. */
    static String reload(ModuleContext ctx, String path) throws TransportException {
        String flags = ctx.bool("ignoreerrors") ? "-e -p " : "-p ";
        CommandResult r = RemoteFiles.sh(ctx, C_LOCALE + "sysctl " + flags + ShellQuote.quote(path));
        if (r.exitCode() != 0 || SET_FAILED.matcher(r.stderr()).find()) {
            return "Failed to reload sysctl: " + r.stdout() + r.stderr();
        }
        return null;
    }

    /**
     * A sysctl file read as the collection reads it, and the text it would write.
     *
     * @param values    each key's value (the last one given, stripped)
     * @param rewritten every line stripped; for each key only its first line is kept, the managed key's with the
     *                  new value (or dropped when absent), appended when it was not there
     */
    record SysctlFile(Map<String, String> values, String rewritten) {
        static SysctlFile parse(String text, String key, String newValue) {
            Map<String, String> values = new HashMap<>();
            List<String> out = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (String raw : text.lines().toList()) {
                String line = raw.strip();
                int eq = line.indexOf('=');
                if (line.isEmpty() || line.startsWith("#") || line.startsWith(";") || eq < 0) {
                    out.add(line);
                    continue;
                }
                String k = line.substring(0, eq).strip();
                String v = line.substring(eq + 1).strip();
                values.put(k, v);
                if (!seen.add(k)) continue;
                if (!k.equals(key)) out.add(k + "=" + v);
                else if (newValue != null) out.add(k + "=" + newValue);
            }
            if (!seen.contains(key) && newValue != null) out.add(key + "=" + newValue);
            StringBuilder s = new StringBuilder();
            for (String line : out) s.append(line).append('\n');
            return new SysctlFile(values, s.toString());
        }
    }
}
