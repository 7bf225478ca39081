package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code apt}: installs, upgrades and removes Debian packages, updates the package lists, upgrades the system,
 * installs .deb files and cleans apt's cache, in the order and with the results of Ansible's apt module (read
 * its main()): clean, cache update, upgrade, deb, then the named packages. Runs apt-get, apt-cache, apt-mark and
 * dpkg-query (no python3-apt needed); {@code --check} runs apt-get {@code --simulate}.
 *
 * <p>Left out: aptitude (Ansible uses it for {@code upgrade: yes/safe/full} where installed; fleet always uses
 * apt-get, as Ansible does with {@code force_apt_get}).
 */
final class AptModule implements Module {
    /** apt-get's summary when nothing changes. */
    static final String APT_GET_ZERO = "\n0 upgraded, 0 newly installed";

    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.str("state").choices("absent", "build-dep", "fixed", "latest", "present").defaultsTo("present"),
                    Arg.bool("update_cache").aliases("update-cache"),
                    Arg.integer("update_cache_retries").defaultsTo(5),
                    Arg.integer("update_cache_retry_max_delay").defaultsTo(12),
                    Arg.integer("cache_valid_time").defaultsTo(0),
                    Arg.bool("purge").defaultsTo(false),
                    Arg.list("package", ArgType.STR).aliases("pkg", "name"),
                    Arg.path("deb"),
                    Arg.str("default_release").aliases("default-release"),
                    Arg.bool("install_recommends").aliases("install-recommends"),
                    Arg.bool("force").defaultsTo(false),
                    Arg.str("upgrade").choices("dist", "full", "no", "safe", "yes").defaultsTo("no"),
                    Arg.str("dpkg_options").defaultsTo("force-confdef,force-confold"),
                    Arg.bool("autoremove").defaultsTo(false),
                    Arg.bool("autoclean").defaultsTo(false),
                    Arg.bool("fail_on_autoremove").defaultsTo(false),
                    Arg.integer("policy_rc_d"),
                    Arg.bool("only_upgrade").defaultsTo(false),
                    Arg.bool("force_apt_get").defaultsTo(false),
                    Arg.bool("clean").defaultsTo(false),
                    Arg.bool("allow_unauthenticated").defaultsTo(false).aliases("allow-unauthenticated"),
                    Arg.bool("allow_downgrade").defaultsTo(false)
                            .aliases("allow-downgrade", "allow_downgrades", "allow-downgrades"),
                    Arg.bool("allow_change_held_packages").defaultsTo(false),
                    Arg.integer("lock_timeout").defaultsTo(60))
            .mutuallyExclusive("deb", "package", "upgrade")
            .requiredOneOf("autoremove", "deb", "package", "update_cache", "upgrade")
            .build();

    public String name() {
        return "apt";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException {
        try {
            return apply(ctx);
        } catch (ModuleException e) {
            // The arguments were checked before execute: what is left are the host's answers (no such package).
            return TaskOutcome.failed(e.getMessage());
        }
    }

    private TaskOutcome apply(ModuleContext ctx) throws TransportException, ModuleException {
        AptRunner apt = new AptRunner(ctx, ctx.has("policy_rc_d") ? ctx.integer("policy_rc_d") : null,
                ctx.integer("lock_timeout"));
        String dpkgOptions = AptRunner.dpkgOptions(ctx.str("dpkg_options"));
        List<String> given = ctx.strings("package");
        String upgrade = "no".equals(ctx.str("upgrade")) ? null : ctx.str("upgrade");
        boolean more = !given.isEmpty() || upgrade != null || ctx.has("deb");

        if (ctx.bool("clean") && !ctx.check()) { // Ansible cleans under --check too; fleet changes nothing
            CommandResult r = apt.change("apt-get clean");
            if (r.exitCode() != 0) return new TaskOutcome(TaskStatus.FAILED, r.exitCode(), r.stdout(), "",
                    "apt-get clean failed", Map.of());
            if (!r.stderr().isEmpty()) return new TaskOutcome(TaskStatus.FAILED, r.exitCode(), r.stdout(), "",
                    "apt-get clean failed: " + r.stderr(), Map.of());
            // Ansible's early exit after clean never happens: it tests upgrade before turning its default "no"
            // into None, so clean alone goes on to install nothing and reports no change.
        }

        AptCache.Times cache = AptCache.times(apt);
        boolean cacheUpdated = false;
        if (ctx.bool("update_cache") || ctx.integer("cache_valid_time") != 0) {
            if (cache.mtime() + ctx.integer("cache_valid_time") < cache.now()) {
                String err = AptCache.update(ctx, apt);
                if (err != null) return TaskOutcome.failed("Failed to update apt cache: " + err);
                long before = cache.updateTime();
                cache = AptCache.times(apt);
                cacheUpdated = ctx.check() || cache.updateTime() != before;
            }
            if (!more) {
                return new TaskOutcome(cacheUpdated ? TaskStatus.CHANGED : TaskStatus.OK, null, "", "", "",
                        cacheKeys(cacheUpdated, cache.updateTime()));
            }
        }

        if (upgrade != null) return upgrade(ctx, apt, upgrade, dpkgOptions);
        if (ctx.has("deb")) {
            if (!"present".equals(ctx.str("state"))) return TaskOutcome.failed("deb only supports state=present");
            return new AptDeb(ctx, apt).install(ctx.str("deb"));
        }

        List<String> packages = new ArrayList<>();
        for (String p : given) {
            if (!p.equals("*")) packages.add(p.strip());
        }
        String state = ctx.str("state");
        if (state.equals("latest") && given.contains("*")) {
            if (!packages.isEmpty()) {
                return TaskOutcome.failed("unable to install additional packages when upgrading all installed"
                        + " packages");
            }
            return upgrade(ctx, apt, "yes", dpkgOptions);
        }
        for (String p : packages) {
            if (p.chars().filter(c -> c == '=').count() > 1) return TaskOutcome.failed("invalid package spec: " + p);
        }
        if (packages.isEmpty()) {
            if (ctx.bool("autoclean")) return cleanup(ctx, apt, "autoclean", dpkgOptions);
            if (ctx.bool("autoremove")) return cleanup(ctx, apt, "autoremove", dpkgOptions);
        }
        AptInstall install = new AptInstall(ctx, apt, dpkgOptions);
        if (state.equals("absent")) return install.remove(packages);
        TaskOutcome o = install.install(packages, state.equals("latest"), state.equals("build-dep"),
                state.equals("fixed"));
        return o.withData(cacheKeys(cacheUpdated, cache.updateTime()));
    }

    private static Map<String, Object> cacheKeys(boolean updated, long time) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cache_updated", updated);
        m.put("cache_update_time", time);
        return m;
    }

    /** upgrade: yes/safe as apt-get upgrade --with-new-pkgs, full/dist as apt-get dist-upgrade. */
    private static TaskOutcome upgrade(ModuleContext ctx, AptRunner apt, String mode, String dpkgOptions)
            throws TransportException {
        String autoremove = ctx.bool("autoremove") ? " --auto-remove" : "";
        String command = mode.equals("dist") || mode.equals("full") ? "dist-upgrade" + autoremove
                : "upgrade --with-new-pkgs" + autoremove;
        List<String> cmd = new ArrayList<>(List.of("apt-get", "-y", dpkgOptions));
        if (ctx.bool("force")) cmd.add("--force-yes");
        if (ctx.bool("fail_on_autoremove")) cmd.add("--no-remove");
        if (ctx.bool("allow_unauthenticated")) cmd.add("--allow-unauthenticated");
        if (ctx.bool("allow_downgrade")) cmd.add("--allow-downgrades");
        if (ctx.check()) cmd.add("--simulate");
        cmd.add(command);
        if (ctx.has("default_release")) cmd.add("-t " + ShellQuote.quote(ctx.str("default_release")));
        CommandResult r = apt.change(String.join(" ", cmd));
        if (r.exitCode() != 0) {
            return new TaskOutcome(TaskStatus.FAILED, r.exitCode(), r.stdout(), "",
                    "'apt-get " + command + "' failed: " + r.stderr(), Map.of());
        }
        boolean changed = !r.stdout().contains(APT_GET_ZERO);
        return result(ctx, changed, r, r.stdout());
    }

    /** autoremove or autoclean on their own: changed when apt-get removed or deleted something. */
    private static TaskOutcome cleanup(ModuleContext ctx, AptRunner apt, String operation, String dpkgOptions)
            throws TransportException {
        List<String> cmd = new ArrayList<>(List.of("apt-get", "-y", dpkgOptions));
        if (ctx.bool("purge")) cmd.add("--purge");
        if (ctx.bool("force")) cmd.add("--force-yes");
        cmd.add(operation);
        if (ctx.check()) cmd.add("--simulate");
        CommandResult r = apt.change(String.join(" ", cmd));
        if (r.exitCode() != 0) return FailedCommand.outcome("'apt-get " + operation + "' failed: " + r.stderr(), r);
        String marker = operation.equals("autoremove") ? "The following packages will be REMOVED" : "Del ";
        return result(ctx, r.stdout().contains(marker), r, null);
    }

    /** A finished apt-get run: its output, and under --diff what it did (Ansible's parse_diff). */
    static TaskOutcome result(ModuleContext ctx, boolean changed, CommandResult r, String msg) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (ctx.diff()) data.put("diff", Map.of("prepared", prepared(r.stdout())));
        return new TaskOutcome(changed ? TaskStatus.CHANGED : TaskStatus.OK, null, r.stdout(), r.stderr(), msg, data);
    }

    /** A failed command: Ansible's message, with stdout, stderr and rc. */
    /** apt-get's report between "Reading state information..." and the "N upgraded" summary, inclusive. */
    static String prepared(String out) {
        List<String> lines = out.lines().toList();
        int start = lines.indexOf("Reading state information...") + 1;
        int end = lines.size();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches("[0-9]+ (packages )?upgraded.*")) {
                end = i + 1;
                break;
            }
        }
        return start >= end ? "" : String.join("\n", lines.subList(start, end));
    }
}
