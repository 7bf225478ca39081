package dev.fleet.modules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@link PackageFactsModule}'s host output (sections {@code @@ arch}, {@code @@ installed}, {@code @@ sources},
 * {@code @@ policy}, {@code @@ show}) into Ansible's apt shape: {@code name -> [{name, version, arch, category,
 * origin, source}]}. Names are apt's: plain for the host's own architecture (and {@code all}), {@code name:arch} for
 * a foreign one.
 */
final class AptPackageFacts {
    /** A package file in {@code apt-cache policy}'s global list or under a version: priority, then its name. */
    private static final Pattern FILE_LINE = Pattern.compile("^\\s+-?\\d+ (\\S.*)$");
    private static final Pattern VERSION_LINE = Pattern.compile("^ (\\*\\*\\*| {3}) (\\S+) -?\\d+$");

    private AptPackageFacts() {}

    /** One installed package as dpkg lists it. */
    private record Installed(String name, String arch, String version, String section) {}

    static Map<String, Object> parse(String out) {
        Map<String, List<String>> sections = sections(out);
        String nativeArch = sections.getOrDefault("arch", List.of("")).get(0);
        Map<String, String> origins = sourceOrigins(sections.getOrDefault("sources", List.of()));
        Map<String, String> originOf = installedOrigins(sections.getOrDefault("policy", List.of()), origins);
        Map<String, String> sectionOf = archiveSections(sections.getOrDefault("show", List.of()));
        Map<String, Object> packages = new LinkedHashMap<>();
        for (String line : sections.getOrDefault("installed", List.of())) {
            String[] f = line.split("\t", -1);
            if (f.length < 6 || f[0].length() < 2 || "nc".indexOf(f[0].charAt(1)) >= 0) continue;
            Installed p = new Installed(f[2], f[3], f[4], f[5]);
            boolean foreign = !p.arch().equals(nativeArch) && !p.arch().equals("all");
            String name = foreign ? p.name() + ":" + p.arch() : p.name();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("name", name);
            details.put("version", p.version());
            details.put("arch", p.arch());
            details.put("category", sectionOf.getOrDefault(p.name() + " " + p.arch() + " " + p.version(),
                    p.section()));
            details.put("origin", originOf.getOrDefault(name, ""));
            details.put("source", "apt");
            @SuppressWarnings("unchecked")
            List<Object> versions = (List<Object>) packages.computeIfAbsent(name, k -> new ArrayList<>());
            versions.add(details);
        }
        return packages;
    }

    /** The output's lines by {@code @@ name} section; {@code @@ arch X} keeps X as its one line. */
    private static Map<String, List<String>> sections(String out) {
        Map<String, List<String>> sections = new HashMap<>();
        List<String> current = null;
        for (String line : out.split("\n", -1)) {
            if (line.startsWith("@@ arch ")) {
                sections.put("arch", List.of(line.substring("@@ arch ".length()).strip()));
                current = null;
            } else if (line.startsWith("@@ ")) {
                current = sections.computeIfAbsent(line.substring(3).strip(), k -> new ArrayList<>());
            } else if (current != null) {
                current.add(line);
            }
        }
        return sections;
    }

    /** {@code apt-get indextargets} lines "description TAB origin TAB file": description to Origin. */
    static Map<String, String> sourceOrigins(List<String> lines) {
        Map<String, String> origins = new HashMap<>();
        for (String line : lines) {
            String[] f = line.split("\t", -1);
            if (f.length >= 2 && !f[0].isEmpty()) origins.putIfAbsent(f[0], f[1]);
        }
        return origins;
    }

    /**
     * {@code apt-cache policy NAME...}: per package (its header as given, {@code name:arch} for multi-arch ones),
     * the origin of the first package file listed under the installed ({@code ***}) version.
     */
    static Map<String, String> installedOrigins(List<String> lines, Map<String, String> origins) {
        Map<String, String> out = new HashMap<>();
        String pkg = null;
        boolean inInstalled = false;
        for (String line : lines) {
            if (!line.isEmpty() && !line.startsWith(" ") && line.endsWith(":")) {
                pkg = line.substring(0, line.length() - 1);
                inInstalled = false;
                continue;
            }
            Matcher v = VERSION_LINE.matcher(line);
            if (v.matches()) {
                inInstalled = v.group(1).equals("***");
                continue;
            }
            Matcher f = FILE_LINE.matcher(line);
            if (pkg != null && inInstalled && f.matches() && !out.containsKey(pkg)) {
                out.put(pkg, origins.getOrDefault(f.group(1), ""));
            }
        }
        return out;
    }

    /** {@code apt-cache show}'s records: "package arch version" to Section. */
    static Map<String, String> archiveSections(List<String> lines) {
        Map<String, String> out = new HashMap<>();
        Map<String, String> record = new HashMap<>();
        for (String line : lines) {
            if (line.isBlank()) {
                addRecord(record, out);
                record.clear();
                continue;
            }
            int colon = line.indexOf(": ");
            if (colon > 0) record.put(line.substring(0, colon), line.substring(colon + 2).strip());
        }
        addRecord(record, out);
        return out;
    }

    private static void addRecord(Map<String, String> record, Map<String, String> out) {
        if (record.containsKey("Package") && record.containsKey("Section")) {
            out.putIfAbsent(record.get("Package") + " " + record.get("Architecture") + " " + record.get("Version"),
                    record.get("Section"));
        }
    }
}
