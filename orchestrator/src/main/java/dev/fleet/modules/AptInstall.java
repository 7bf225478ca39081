package dev.fleet.modules;

import dev.fleet.modules.AptPackages.Spec;
import dev.fleet.modules.AptPackages.State;
import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * apt's {@code state: present/latest/build-dep/fixed} and {@code state: absent}: decides from what is installed and
 * what apt could install which packages need apt-get at all (so a second run changes nothing), then runs one
 * apt-get command for them all, {@code --simulate} under {@code --check}, as Ansible's install() and remove().
 */
final class AptInstall {
    /** The installable version of a virtual package: apt picks the provider. */
    private static final String ANY = "";

    private final ModuleContext ctx;
    private final AptRunner apt;
    private final String dpkgOptions;

    AptInstall(ModuleContext ctx, AptRunner apt, String dpkgOptions) {
        this.ctx = ctx;
        this.apt = apt;
        this.dpkgOptions = dpkgOptions;
    }

    /** Ansible's package_status: the version wanted installed already? what apt would install for it? */
    private record Status(boolean installed, boolean versionInstalled, String installable, boolean hasFiles) {}

    private Status status(Spec spec, State s, boolean forInstall, String release) throws TransportException,
            ModuleException {
        if (s == null || !s.known()) {
            if (!forInstall) return new Status(false, false, null, false);
            List<String> providers = AptPackages.providers(apt, spec.name());
            if (providers.isEmpty()) {
                throw new ModuleException("No package matching '" + spec.name() + "' is available");
            }
            if (providers.size() == 1) {
                State p = AptPackages.probe(apt, providers, release).get(providers.get(0));
                if (p != null && p.isInstalled()) return status(new Spec(providers.get(0), providers.get(0),
                        spec.op(), spec.version()), p, true, release);
            }
            return new Status(false, false, ANY, false);
        }
        String best = s.best(spec);
        if (!s.isInstalled()) return new Status(false, false, best, s.hasFiles());
        String inst = s.installed();
        boolean versionInstalled;
        boolean bestQualifies;
        if ("=".equals(spec.op())) {
            java.util.regex.Pattern p = java.util.regex.Pattern.compile(FindModule.globToRegex(spec.version()),
                    java.util.regex.Pattern.DOTALL);
            versionInstalled = p.matcher(inst).matches();
            bestQualifies = best != null && p.matcher(best).matches();
        } else if (">=".equals(spec.op())) {
            versionInstalled = DebianVersion.compare(inst, spec.version()) >= 0;
            bestQualifies = best != null && DebianVersion.compare(best, spec.version()) >= 0;
        } else {
            versionInstalled = true;
            bestQualifies = best != null;
        }
        String installable = bestQualifies && !inst.equals(best) ? best : null;
        return new Status(true, versionInstalled, installable, s.hasFiles());
    }

    /**
     * state present, latest ({@code upgrade}), build-dep or fixed.
     *
     * @return the outcome, without the cache keys the module adds
     */
    TaskOutcome install(List<String> specs, boolean upgrade, boolean buildDep, boolean fixed)
            throws TransportException, ModuleException {
        String release = ctx.str("default_release");
        boolean onlyUpgrade = ctx.bool("only_upgrade");
        List<String> names = new ArrayList<>();
        List<String> args = new ArrayList<>();
        List<Spec> parsed = AptPackages.expand(apt, specs).stream().map(Spec::parse).toList();
        Map<String, State> states = buildDep ? Map.of()
                : AptPackages.probe(apt, parsed.stream().map(Spec::name).distinct().toList(), release);
        for (Spec spec : parsed) {
            if (buildDep) {
                args.add(ShellQuote.quote(spec.text()));
                continue;
            }
            names.add(spec.name());
            Status st = status(spec, states.get(spec.name()), true, release);
            if (!st.installed() && onlyUpgrade) continue;
            if (!st.versionInstalled() && st.installable() == null) {
                return TaskOutcome.failed("no available installation candidate for " + spec.text());
            }
            if (st.installable() != null && ((!st.installed() && !onlyUpgrade) || upgrade || !st.versionInstalled())) {
                String v = !st.installable().equals(ANY) ? st.installable() : spec.version();
                args.add(ShellQuote.quote(v != null ? spec.name() + "=" + v : spec.name()));
            } else if (st.versionInstalled() && st.installable() != null && "=".equals(spec.op())) {
                args.add(ShellQuote.quote(spec.name() + "=" + spec.version()));
            }
        }
        TaskOutcome out = new TaskOutcome(TaskStatus.OK, null, "", "", "", Map.of());
        if (!args.isEmpty()) {
            List<String> cmd = new ArrayList<>(List.of("apt-get", "-y", dpkgOptions));
            if (onlyUpgrade) cmd.add("--only-upgrade");
            if (fixed) cmd.add("--fix-broken");
            if (ctx.bool("force")) cmd.add("--force-yes");
            if (ctx.bool("autoremove") && !buildDep) cmd.add("--auto-remove");
            if (ctx.bool("fail_on_autoremove")) cmd.add("--no-remove");
            if (ctx.check()) cmd.add("--simulate");
            cmd.add(buildDep ? "build-dep" : "install");
            cmd.addAll(args);
            if (release != null) cmd.add("-t " + ShellQuote.quote(release));
            if (ctx.has("install_recommends")) {
                cmd.add("-o APT::Install-Recommends=" + (ctx.bool("install_recommends") ? "yes" : "no"));
            }
            if (ctx.bool("allow_unauthenticated")) cmd.add("--allow-unauthenticated");
            if (ctx.bool("allow_downgrade")) cmd.add("--allow-downgrades");
            if (ctx.bool("allow_change_held_packages")) cmd.add("--allow-change-held-packages");
            String line = String.join(" ", cmd);
            CommandResult r = apt.change(line);
            if (r.exitCode() != 0) return FailedCommand.outcome("'" + line + "' failed: " + r.stderr(), r);
            boolean changed = !buildDep || !r.stdout().contains(AptModule.APT_GET_ZERO);
            out = AptModule.result(ctx, changed, r, null);
        }
        if (!buildDep && !ctx.check() && !names.isEmpty()) {
            String mark = "apt-mark manual " + String.join(" ", names.stream().map(ShellQuote::quote).toList());
            CommandResult r = apt.change(mark);
            if (r.exitCode() != 0) return FailedCommand.outcome("'" + mark + "' failed: " + r.stderr(), r);
        }
        return out;
    }

    /** state absent: removes (or purges) what is installed, as Ansible's remove(). */
    TaskOutcome remove(List<String> specs) throws TransportException, ModuleException {
        boolean purge = ctx.bool("purge");
        List<Spec> parsed = AptPackages.expand(apt, specs).stream().map(Spec::parse).toList();
        Map<String, State> states = AptPackages.probe(apt, parsed.stream().map(Spec::name).distinct().toList(),
                null);
        List<String> args = new ArrayList<>();
        for (Spec spec : parsed) {
            Status st = status(spec, states.get(spec.name()), false, null);
            if (st.versionInstalled() || (st.hasFiles() && purge)) args.add(ShellQuote.quote(spec.text()));
        }
        if (args.isEmpty()) return new TaskOutcome(TaskStatus.OK, null, "", "", "", Map.of());
        List<String> cmd = new ArrayList<>(List.of("apt-get", "-q", "-y", dpkgOptions));
        if (purge) cmd.add("--purge");
        if (ctx.bool("force")) cmd.add("--force-yes");
        if (ctx.bool("autoremove")) cmd.add("--auto-remove");
        if (ctx.check()) cmd.add("--simulate");
        cmd.add("remove");
        cmd.addAll(args);
        CommandResult r = apt.change(String.join(" ", cmd));
        if (r.exitCode() != 0) {
            return FailedCommand.outcome("'apt-get remove " + String.join(" ", args) + "' failed: " + r.stderr(), r);
        }
        return AptModule.result(ctx, true, r, null);
    }
}
