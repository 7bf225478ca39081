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
 * {@code pip}: installs, upgrades or removes Python distributions with the host's pip, optionally in a
 * virtualenv it creates first ({@link PipVirtualenv}). As Ansible: a real run trusts pip's own report
 * ({@code Successfully installed}/{@code uninstalled}, or with a requirements file or a VCS URL, whether
 * {@code pip freeze} changed); check mode compares the requested names with what pip lists. Without virtualenv or
 * executable, pip runs as {@code python3 -m pip.__main__} (Ansible uses its own interpreter there).
 */
final class PipModule implements Module {
    private static final Map<String, List<String>> STATE_ARGS = Map.of("present", List.of("install"),
            "absent", List.of("uninstall", "-y"), "latest", List.of("install", "-U"),
            "forcereinstall", List.of("install", "-U", "--force-reinstall"));

    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.str("state").choices("absent", "forcereinstall", "latest", "present").defaultsTo("present"),
                    Arg.list("name", ArgType.STR), Arg.str("version"), Arg.str("requirements"),
                    Arg.path("virtualenv"), Arg.bool("virtualenv_site_packages").defaultsTo(false),
                    Arg.path("virtualenv_command").defaultsTo("virtualenv"), Arg.str("virtualenv_python"),
                    Arg.str("extra_args"), Arg.bool("editable").defaultsTo(false), Arg.path("chdir"),
                    Arg.path("executable"), Arg.str("umask"))
            .requiredOneOf("name", "requirements")
            .mutuallyExclusive("name", "requirements")
            .mutuallyExclusive("executable", "virtualenv")
            .build();

    public String name() {
        return "pip";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException {
        String state = ctx.str("state");
        String version = ctx.str("version");
        String requirements = ctx.str("requirements");
        String extraArgs = ctx.str("extra_args");
        String chdir = ctx.has("chdir") ? ctx.str("chdir") : "/tmp";
        String env = ctx.str("virtualenv");
        if (env != null && ctx.has("chdir") && !env.startsWith("/")) env = chdir + "/" + env;
        String umask = "";
        if (ctx.has("umask")) {
            if (!ctx.str("umask").matches("[0-7]+")) {
                return TaskOutcome.failed("umask must be an octal integer");
            }
            umask = "umask " + ctx.str("umask") + " && ";
        }
        if ("latest".equals(state) && version != null) {
            return TaskOutcome.failed("version is incompatible with state=latest");
        }
        Shell sh = new Shell(ctx, umask + "cd " + ShellQuote.quote(chdir) + " && ");
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        boolean venvCreated = false;
        if (env != null && sh.run("test -e " + ShellQuote.quote(env + "/bin/activate")).exitCode() != 0) {
            if (ctx.check()) return TaskOutcome.changed("");
            venvCreated = true;
            TaskOutcome failed = PipVirtualenv.create(ctx, sh, env, out, err);
            if (failed != null) return failed;
        }
        List<String> pip = new ArrayList<>();
        TaskOutcome noPip = findPip(ctx, sh, env, pip);
        if (noPip != null) return noPip;

        List<PipRequirement> packages = new ArrayList<>();
        boolean hasVcs = false;
        if (ctx.has("name")) {
            for (String n : ctx.strings("name")) hasVcs |= n.matches("(?s)(svn|git|hg|bzr)\\+.*");
            for (String n : PipRequirement.recover(ctx.strings("name"))) packages.add(PipRequirement.parse(n));
            if (version != null) {
                if (packages.size() > 1) {
                    return TaskOutcome.failed("'version' argument is ambiguous when installing multiple package"
                            + " distributions. Please specify version restrictions next to each package in 'name'"
                            + " argument.");
                }
                if (packages.get(0).hasVersionSpecifier()) {
                    return TaskOutcome.failed("The 'version' argument conflicts with any version specifier provided"
                            + " along with a package name. Please keep the version specifier, but remove the"
                            + " 'version' argument.");
                }
                packages.set(0, packages.get(0).withVersion(version));
            }
        }
        if (ctx.bool("editable")) {
            List<String> words = extraArgs == null ? new ArrayList<>() : new ArrayList<>(List.of(extraArgs.split(" ")));
            if (!words.contains("-e")) words.add("-e");
            extraArgs = String.join(" ", words);
        }
        List<String> cmd = new ArrayList<>(pip);
        cmd.addAll(STATE_ARGS.get(state));
        if (extraArgs != null) {
            try {
                cmd.addAll(ShellQuote.split(extraArgs));
            } catch (ShellQuote.UnbalancedQuote e) {
                throw new ModuleException("extra_args: " + e.getMessage());
            }
        }
        if (!packages.isEmpty()) packages.forEach(p -> cmd.add(p.text()));
        else cmd.addAll(List.of("-r", requirements));

        if (ctx.check()) {
            if (extraArgs != null || requirements != null || "latest".equals(state) || packages.isEmpty()) {
                return TaskOutcome.changed("");
            }
            Listed listed = listPackages(sh, pip);
            if (listed.failure() != null) return listed.failure();
            out.append(listed.out());
            err.append(listed.err());
            boolean changed = false;
            for (PipRequirement p : packages) {
                boolean present = isPresent(p, listed.out());
                if ("present".equals(state) && !present || "absent".equals(state) && present) changed = true;
            }
            return new TaskOutcome(changed ? TaskStatus.CHANGED : TaskStatus.OK, null, out.toString(),
                    err.toString(), "", Map.of("cmd", listed.cmd()));
        }
        String freezeBefore = null;
        if (requirements != null || hasVcs) freezeBefore = listPackages(sh, pip).out();
        String prefix = env == null ? "" : "PATH=" + ShellQuote.quote(env + "/bin") + ":\"$PATH\" ";
        CommandResult r = sh.run(prefix + ShellQuote.join(cmd));
        out.append(r.stdout());
        err.append(r.stderr());
        boolean notInstalled = r.stdout().contains("not installed") || r.stderr().contains("not installed");
        if (r.exitCode() != 0 && !(r.exitCode() == 1 && "absent".equals(state) && notInstalled)) {
            return failure(cmd, out.toString(), err.toString());
        }
        boolean changed;
        if ("absent".equals(state)) changed = r.stdout().contains("Successfully uninstalled");
        else if (freezeBefore == null) changed = r.stdout().contains("Successfully installed");
        else changed = !freezeBefore.equals(listPackages(sh, pip).out());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("cmd", cmd);
        data.put("name", ctx.has("name") ? ctx.strings("name") : null);
        data.put("version", version);
        data.put("state", state);
        data.put("requirements", requirements);
        data.put("virtualenv", env);
        return new TaskOutcome(changed || venvCreated ? TaskStatus.CHANGED : TaskStatus.OK, null, out.toString(),
                err.toString(), "", data);
    }

    /** Runs command lines in chdir, with the umask. */
    record Shell(ModuleContext ctx, String prelude) {
        CommandResult run(String line) throws TransportException {
            return ctx.session().exec(prelude + line, ctx.timeout());
        }
    }

    /** Ansible's failure message for a failed command: its output and error output. */
    static TaskOutcome failure(Object cmd, String out, String err) {
        String msg = (out.isEmpty() ? "" : "stdout: " + out) + (err.isEmpty() ? "" : "\n:stderr: " + err);
        return new TaskOutcome(TaskStatus.FAILED, null, "", "", msg, Map.of("cmd", cmd));
    }

    /** The pip to run, into {@code pip}; or why there is none. */
    private static TaskOutcome findPip(ModuleContext ctx, Shell sh, String env, List<String> pip)
            throws TransportException {
        String executable = ctx.str("executable");
        if (executable != null && executable.startsWith("/")) {
            pip.add(executable);
        } else if (executable == null && env == null) {
            // Ansible's own Python's pip module when it has one, else pip3 on the PATH.
            String python = sh.run("p=$(command -v python3) && \"$p\" -c 'import pip' 2>/dev/null && echo \"$p\"")
                    .stdout().strip();
            if (!python.isEmpty()) {
                pip.addAll(List.of(python, "-m", "pip.__main__"));
                return null;
            }
            return onPath(sh, "pip3", pip);
        } else if (executable != null) {
            return onPath(sh, executable, pip);
        } else {
            for (String base : List.of("pip3", "pip")) {
                String candidate = env + "/bin/" + base;
                if (sh.run("test -x " + ShellQuote.quote(candidate)).exitCode() == 0) {
                    pip.add(candidate);
                    return null;
                }
            }
            return TaskOutcome.failed("Unable to find pip in the virtualenv, " + env + ", under any of these names:"
                    + " pip3, pip. Make sure pip is present in the virtualenv.");
        }
        return null;
    }

    private static TaskOutcome onPath(Shell sh, String name, List<String> pip) throws TransportException {
        String found = sh.run("command -v " + ShellQuote.quote(name)).stdout().strip();
        if (found.isEmpty()) return TaskOutcome.failed("Unable to find any of " + name + " to use.  pip needs to be"
                + " installed.");
        pip.add(found);
        return null;
    }

    /** What pip lists, as {@code name==version} lines, and the command that listed it. */
    record Listed(String cmd, String out, String err, TaskOutcome failure) {}

    private static Listed listPackages(Shell sh, List<String> pip) throws TransportException {
        List<String> list = new ArrayList<>(pip);
        list.addAll(List.of("list", "--format=freeze"));
        CommandResult r = sh.run("LANG=C LC_ALL=C LC_MESSAGES=C " + ShellQuote.join(list));
        if (r.exitCode() != 0) {
            list = new ArrayList<>(pip);
            list.add("freeze");
            r = sh.run(ShellQuote.join(list));
            if (r.exitCode() != 0) {
                return new Listed(null, r.stdout(), r.stderr(), failure(list, r.stdout(), r.stderr()));
            }
        }
        return new Listed(String.join(" ", list), r.stdout(), r.stderr(), null);
    }

    private static boolean isPresent(PipRequirement wanted, String listed) {
        for (String line : listed.split("\n")) {
            int eq = line.indexOf("==");
            if (eq < 0 || line.startsWith("You are using") || line.startsWith("You should consider")) continue;
            String name = PipRequirement.canonical(line.substring(0, eq).strip());
            if (name.equals(wanted.name()) && wanted.isSatisfiedBy(line.substring(eq + 2).strip())) return true;
        }
        return false;
    }
}
