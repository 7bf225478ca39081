package dev.fleet.modules;

import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What apt knows about the packages a task names, read with dpkg-query and apt-cache (no python-apt): the
 * installed version and dpkg state, the candidate apt would install and every version it could. Also the task's
 * package specifications ({@code name}, {@code name=1.0*}, {@code name>=1.0}) and fnmatch name patterns.
 */
final class AptPackages {
    private AptPackages() {}

    /** One package specification: {@code op} is "=", ">=" or null, as Ansible's package_split. */
    record Spec(String text, String name, String op, String version) {
        static Spec parse(String text) {
            Matcher m = Pattern.compile(">?=").matcher(text);
            if (!m.find()) return new Spec(text, text, null, null);
            return new Spec(text, text.substring(0, m.start()), m.group(), text.substring(m.end()));
        }

        boolean hasNamePattern() {
            return name.chars().anyMatch(c -> "*?[]!".indexOf(c) >= 0);
        }
    }

    /**
     * One package as apt sees it.
     *
     * @param known     apt has versions of it (in a repository or installed)
     * @param status    dpkg's db:Status-Status ({@code installed}, {@code config-files}, ...), or "" when dpkg does
     *                  not know it
     * @param installed the installed version, or null
     * @param candidate the version apt would install (pins and default_release applied), or null
     * @param versions  every version apt has, newest first
     */
    record State(String name, boolean known, String status, String installed, String candidate,
            List<String> versions) {
        boolean isInstalled() {
            return status.equals("installed");
        }

        /** Files left on disk: installed, or removed with its configuration kept (a purge removes them). */
        boolean hasFiles() {
            return !status.isEmpty() && !status.equals("not-installed");
        }

        /**
         * The version apt would install for the spec (Ansible's package_best_match): with {@code =}, the newest
         * version matching the (fnmatch) pattern, as Ansible's 1001 pin makes it; else the candidate.
         */
        String best(Spec spec) {
            if ("=".equals(spec.op())) {
                Pattern p = Pattern.compile(FindModule.globToRegex(spec.version()), Pattern.DOTALL);
                return versions.stream().filter(v -> p.matcher(v).matches()).findFirst().orElse(null);
            }
            return candidate;
        }
    }

    /** The state of each package named, in one command. */
    static Map<String, State> probe(AptRunner apt, List<String> names, String defaultRelease)
            throws TransportException {
        StringBuilder script = new StringBuilder("for n in");
        for (String n : names) script.append(' ').append(ShellQuote.quote(n));
        String release = defaultRelease == null ? ""
                : " -o " + ShellQuote.quote("APT::Default-Release=" + defaultRelease);
        script.append("; do printf '@@pkg %s\\n' \"$n\";"
                + " dpkg-query -W -f='@@status ${db:Status-Status} ${Version}\\n' -- \"$n\" 2>/dev/null | head -n 1;"
                + " apt-cache").append(release).append(" policy -- \"$n\" 2>/dev/null; done");
        CommandResult r = apt.query(script.toString());
        return parse(r.stdout());
    }

    private static final Pattern VERSION_LINE = Pattern.compile("^ (?:\\*\\*\\*| {3}) (\\S+) (-?\\d+)$");

    /** Parses {@link #probe}'s output. Package-private for tests. */
    static Map<String, State> parse(String out) {
        Map<String, State> states = new LinkedHashMap<>();
        String name = null;
        String status = "";
        String installed = null;
        String candidate = null;
        List<String> versions = new ArrayList<>();
        for (String line : (out + "\n@@pkg ").split("\n")) {
            if (line.startsWith("@@pkg ")) {
                if (name != null) {
                    states.put(name, new State(name, !versions.isEmpty(), status, installed, candidate,
                            List.copyOf(versions)));
                }
                name = line.substring(6);
                status = "";
                installed = null;
                candidate = null;
                versions.clear();
            } else if (line.startsWith("@@status ")) {
                String[] f = line.substring(9).split(" ", 2);
                status = f[0];
                if (status.equals("installed") && f.length > 1) installed = f[1].strip();
            } else if (line.startsWith("  Candidate: ")) {
                String c = line.substring(13).strip();
                candidate = c.equals("(none)") ? null : c;
            } else {
                Matcher m = VERSION_LINE.matcher(line);
                if (m.matches()) versions.add(m.group(1));
            }
        }
        return states;
    }

    /**
     * Names with fnmatch patterns ({@code fleet-*}) replaced by the packages apt knows that match (native ones
     * only unless the pattern names an architecture), as Ansible's expand_pkgspec_from_fnmatches.
     *
     * @throws ModuleException "No package(s) matching ..." for a pattern nothing matches
     */
    static List<String> expand(AptRunner apt, List<String> specs) throws TransportException, ModuleException {
        List<String> out = new ArrayList<>();
        List<String> known = null;
        for (String s : specs) {
            Spec spec = Spec.parse(s);
            if (!spec.hasNamePattern()) {
                out.add(s);
                continue;
            }
            if (known == null) known = apt.query("apt-cache pkgnames 2>/dev/null").stdout().lines().toList();
            Pattern p = Pattern.compile(FindModule.globToRegex(spec.name()), Pattern.DOTALL);
            boolean arch = spec.name().contains(":");
            List<String> matches = known.stream().filter(n -> arch || !n.contains(":"))
                    .filter(n -> p.matcher(n).matches()).sorted().toList();
            if (matches.isEmpty()) throw new ModuleException("No package(s) matching '" + spec.name() + "' available");
            out.addAll(matches);
        }
        return out;
    }

    /** Packages that provide a virtual package (apt-cache showpkg's Reverse Provides), installed ones marked. */
    static List<String> providers(AptRunner apt, String name) throws TransportException {
        String out = apt.query("apt-cache showpkg -- " + ShellQuote.quote(name) + " 2>/dev/null").stdout();
        List<String> providers = new ArrayList<>();
        boolean in = false;
        for (String line : out.split("\n")) {
            if (line.startsWith("Reverse Provides:")) {
                in = true;
            } else if (in && !line.isBlank()) {
                providers.add(line.strip().split(" ")[0]);
            }
        }
        return providers;
    }
}
