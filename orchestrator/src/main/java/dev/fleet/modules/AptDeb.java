package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * apt's {@code deb}: installs .deb files on the host (comma-separated; a URL is downloaded on the host first)
 * unless the same version is installed already. A lower version than the installed one is refused unless
 * {@code allow_downgrade} or {@code force}, with Ansible's message. apt-get installs the files, so their
 * dependencies come from the repositories in the same run.
 */
final class AptDeb {
    private final ModuleContext ctx;
    private final AptRunner apt;

    AptDeb(ModuleContext ctx, AptRunner apt) {
        this.ctx = ctx;
        this.apt = apt;
    }

    TaskOutcome install(String debs) throws TransportException, ModuleException {
        String downloadDir = null;
        try {
            List<String> files = new ArrayList<>();
            for (String deb : debs.split(",")) {
                String file = deb.strip();
                if (file.contains("://")) {
                    if (downloadDir == null) downloadDir = tempDir();
                    file = download(file, downloadDir);
                }
                if (!file.contains("/")) file = "./" + file;
                if (needsInstall(file)) files.add(file);
            }
            if (files.isEmpty()) {
                return new TaskOutcome(TaskStatus.OK, null, "", "", "", Map.of("diff", ""));
            }
            List<String> cmd = new ArrayList<>(List.of("apt-get", "-y",
                    AptRunner.dpkgOptions(ctx.str("dpkg_options"))));
            if (ctx.bool("force")) cmd.add("--force-yes");
            if (ctx.bool("fail_on_autoremove")) cmd.add("--no-remove");
            if (ctx.has("install_recommends")) {
                cmd.add("-o APT::Install-Recommends=" + (ctx.bool("install_recommends") ? "yes" : "no"));
            }
            if (ctx.bool("allow_unauthenticated")) cmd.add("--allow-unauthenticated");
            if (ctx.bool("allow_downgrade") || ctx.bool("force")) cmd.add("--allow-downgrades");
            if (ctx.bool("allow_change_held_packages")) cmd.add("--allow-change-held-packages");
            if (ctx.check()) cmd.add("--simulate");
            cmd.add("install");
            for (String f : files) cmd.add(ShellQuote.quote(f));
            String line = String.join(" ", cmd);
            CommandResult r = apt.change(line);
            if (r.exitCode() != 0) return FailedCommand.outcome(line + " failed", r);
            return AptModule.result(ctx, true, r, null);
        } finally {
            if (downloadDir != null) apt.query("rm -rf " + ShellQuote.quote(downloadDir));
        }
    }

    /** False when the file's version is installed already; refuses a downgrade unless allowed. */
    private boolean needsInstall(String file) throws TransportException, ModuleException {
        String q = ShellQuote.quote(file);
        CommandResult f = apt.query("dpkg-deb -f " + q + " Package Version Architecture");
        if (f.exitCode() != 0) {
            throw new ModuleException("Unable to install package: " + OutputText.tail(f.stderr() + f.stdout(), 4));
        }
        String pkg = field(f.stdout(), "Package");
        String version = field(f.stdout(), "Version");
        String foreign = apt.query("dpkg --print-foreign-architectures 2>/dev/null").stdout().strip();
        String key = foreign.isEmpty() ? pkg : pkg + ":" + field(f.stdout(), "Architecture");
        CommandResult s = apt.query("dpkg-query -W -f='${db:Status-Status} ${Version}' -- " + ShellQuote.quote(key)
                + " 2>/dev/null");
        String[] st = s.stdout().strip().split(" ", 2);
        if (s.exitCode() != 0 || !st[0].equals("installed") || st.length < 2) return true;
        int cmp = DebianVersion.compare(version, st[1]);
        if (cmp == 0) return false;
        if (cmp < 0 && !ctx.bool("allow_downgrade") && !ctx.bool("force")) {
            throw new ModuleException("A later version is already installed");
        }
        return true;
    }

    private static String field(String control, String name) {
        for (String line : control.split("\n")) {
            if (line.startsWith(name + ":")) return line.substring(name.length() + 1).strip();
        }
        return "";
    }

    private String tempDir() throws TransportException, ModuleException {
        CommandResult r = apt.query("mktemp -d");
        if (r.exitCode() != 0) throw new ModuleException("could not create a temporary directory: " + r.stderr());
        return r.stdout().strip();
    }

    /** Downloads {@code url} on the host with curl, wget or python3, whichever is there. */
    private String download(String url, String dir) throws TransportException, ModuleException {
        String base = url.replaceAll("[?#].*$", "");
        base = base.substring(base.lastIndexOf('/') + 1);
        if (base.isEmpty() || base.equals("..") || base.equals(".")) base = "package.deb";
        String dest = dir + "/" + base;
        String u = ShellQuote.quote(url);
        String d = ShellQuote.quote(dest);
        CommandResult r = apt.query("if command -v curl >/dev/null 2>&1; then curl -fsSL -o " + d + " " + u
                + "; elif command -v wget >/dev/null 2>&1; then wget -q -O " + d + " " + u
                + "; else python3 -c 'import sys, urllib.request as r; r.urlretrieve(sys.argv[1], sys.argv[2])' "
                + u + " " + d + "; fi");
        if (r.exitCode() != 0) {
            throw new ModuleException("Failure downloading " + url + ", " + OutputText.tail(r.stderr(), 3));
        }
        return dest;
    }
}
