package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
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
 * {@code package_facts}: the installed packages under {@code ansible_facts.packages}, a dict from package name to
 * the list of its installed versions, each {@code {name, version, arch, category, origin, source: apt}} as
 * Ansible's apt backend (python-apt) gives them. fleet reads the same data without Python: {@code dpkg-query} lists
 * what is installed, {@code apt-cache show} gives each installed version's section (the archive's, which apt
 * prefers to dpkg's) and {@code apt-cache policy} where the version comes from (the Origin of its first package
 * index, empty when only dpkg's status file has it). Only apt (dpkg) hosts are read: Ansible's other managers
 * (rpm, pacman, pkg, portage, apk, pkg_info) are known names that fleet finds unusable, so {@code auto} on such a
 * host fails as Ansible does when it finds no usable manager.
 */
final class PackageFactsModule implements Module {
    /** Ansible 2.14's package managers, in the order {@code auto} tries them. */
    static final List<String> MANAGERS = List.of("rpm", "apt", "pacman", "pkg", "portage", "apk", "pkg_info");

    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.list("manager", ArgType.STR).defaultsTo(List.of("auto")),
                    Arg.str("strategy").choices("first", "all").defaultsTo("first"))
            .build();

    /**
     * One command: dpkg's list, apt's package indexes (description, Origin, file), the package files of each
     * installed version ({@code apt-cache policy}) and the sections the indexes give those versions, read in one
     * pass: asking {@code apt-cache show} for each version seeks through compressed indexes and takes far longer.
     */
    private static final String SCRIPT = """
            LANG=C LC_ALL=C; export LANG LC_ALL
            command -v dpkg-query >/dev/null 2>&1 || { echo '@@ none'; exit 0; }
            echo "@@ arch $(dpkg --print-architecture)"
            F='${db:Status-Abbrev}\\t${binary:Package}\\t${Package}\\t${Architecture}\\t${Version}'
            echo '@@ installed'
            dpkg-query -W -f "$F"'\\t${Section}\\n'
            command -v apt-cache >/dev/null 2>&1 || exit 0
            installed() {
              dpkg-query -W -f "$F"'\\n' | awk -F '\\t' '$1 !~ /^.[nc]/'
            }
            echo '@@ sources'
            T=$(printf '\\t')
            targets=$(apt-get indextargets --format "\\$(DESCRIPTION)$T\\$(ORIGIN)$T\\$(FILENAME)" \\
              'Created-By: Packages' 2>/dev/null)
            printf '%s\\n' "$targets"
            echo '@@ policy'
            installed | cut -f 2 | xargs -r apt-cache policy
            echo '@@ show'
            {
              installed | awk -F '\\t' '{ print "I\\t" $3 "\\t" $4 "\\t" $5 }'
              printf '%s\\n' "$targets" | cut -f 3 | while read -r f; do
                [ -e "$f" ] && /usr/lib/apt/apt-helper cat-file "$f" 2>/dev/null && echo
              done
            } | awk -F '\\t' '
              $1 == "I" && NF == 4 { want[$2 " " $3 " " $4] = 1; next }
              /^Package: / { p = substr($0, 10) }
              /^Architecture: / { a = substr($0, 15) }
              /^Version: / { v = substr($0, 10) }
              /^Section: / { s = substr($0, 10) }
              /^$/ {
                if ((p " " a " " v) in want && s != "") {
                  print "Package: " p; print "Architecture: " a; print "Version: " v; print "Section: " s; print ""
                }
                p = a = v = s = ""
              }'
            exit 0
            """;

    public String name() {
        return "package_facts";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException {
        List<String> requested = ctx.strings("manager").stream().map(String::toLowerCase).toList();
        List<String> managers = new ArrayList<>(requested);
        if (managers.contains("auto")) {
            managers.addAll(MANAGERS);
            managers.removeIf("auto"::equals);
        }
        Set<String> unsupported = new LinkedHashSet<>(managers);
        unsupported.removeAll(MANAGERS);
        if (!unsupported.isEmpty()) {
            return TaskOutcome.failed(requested.contains("auto")
                    ? "Could not auto detect a usable package manager, check warnings for details."
                    : "Unsupported package managers requested: " + String.join(", ", unsupported));
        }
        boolean first = ctx.str("strategy").equals("first");
        Map<String, Object> packages = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        int found = 0;
        for (String manager : new LinkedHashSet<>(managers)) {
            if (found > 0 && first) break;
            if (!manager.equals("apt")) {
                if (requested.contains(manager)) {
                    warnings.add("Requested package manager " + manager + " was not usable by this module:"
                            + " fleet reads apt (dpkg) hosts only");
                }
                continue;
            }
            CommandResult r = ctx.session().exec("sh -c " + ShellQuote.quote(SCRIPT), ctx.timeout());
            if (r.stdout().startsWith("@@ none")) continue;
            found++;
            packages.putAll(AptPackageFacts.parse(r.stdout()));
        }
        Map<String, Object> data = new LinkedHashMap<>();
        if (!warnings.isEmpty()) data.put("warnings", warnings);
        if (found == 0) {
            return new TaskOutcome(TaskStatus.FAILED, null, "", "", "Could not detect a supported package manager"
                    + " from the following list: " + pythonList(managers) + ", or the required Python library is not"
                    + " installed. Check warnings for details.", data);
        }
        data.put("ansible_facts", Map.of("packages", packages));
        return new TaskOutcome(TaskStatus.OK, null, "", "", "", data);
    }

    /** A list as Python prints it, as Ansible's message shows it: {@code ['rpm', 'apt']}. */
    private static String pythonList(List<String> items) {
        return items.stream().map(s -> "'" + s + "'").toList().toString();
    }
}
