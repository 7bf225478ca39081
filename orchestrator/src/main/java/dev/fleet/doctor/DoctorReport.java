package dev.fleet.doctor;

import dev.fleet.report.SymptomGroups;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The doctor's answer: hosts grouped by what stands in their way and by the message normalized as symptom groups
 * are (so 40 hosts with the same changed key are one group), the worst stages first, each with one example
 * message and the fix for its first host; the hosts that log in last.
 */
public record DoctorReport(List<Diagnosis> diagnoses) {

    /** One group: the same finding and the same normalized message. */
    public record Group(Finding finding, List<Diagnosis> members) {
        public List<String> hosts() {
            return members.stream().map(Diagnosis::host).toList();
        }
    }

    public List<Group> groups() {
        Map<String, List<Diagnosis>> byKey = new LinkedHashMap<>();
        for (Diagnosis d : diagnoses) {
            String key = d.finding() == Finding.OK ? "OK"
                    : d.finding() + "\n" + SymptomGroups.normalize(d.message(), d.host(), null);
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(d);
        }
        List<Group> out = new ArrayList<>();
        byKey.values().forEach(ds -> out.add(new Group(ds.get(0).finding(), sortedByHost(ds))));
        out.sort(Comparator.comparing((Group g) -> g.finding().ordinal()).thenComparing(g -> -g.members().size()));
        return out;
    }

    public long failing() {
        return diagnoses.stream().filter(d -> d.finding() != Finding.OK).count();
    }

    /** Exit code: 0 every host logs in (and may sudo), 3 some cannot log in, 2 only sudo stands in the way. */
    public int exitCode() {
        boolean login = diagnoses.stream().anyMatch(d -> d.finding().ordinal() < Finding.SUDO_PASSWORD.ordinal()
                || d.finding() == Finding.OTHER);
        if (login) return 3;
        return failing() > 0 ? 2 : 0;
    }

    public void print(PrintWriter out) {
        int n = diagnoses.size();
        out.println("fleet doctor: " + n + " host" + (n == 1 ? "" : "s") + ": " + (n - failing()) + " ready, "
                + failing() + " not");
        for (Group g : groups()) {
            Diagnosis first = g.members().get(0);
            String count = g.members().size() == 1 ? "" : " (" + g.members().size() + " hosts)";
            String mark = g.finding() == Finding.OK ? "ok " : "XX ";
            out.println();
            out.println(mark + g.finding().title() + count + ": " + String.join(", ", g.hosts()));
            if (g.finding() != Finding.OK) {
                out.println("   " + first.message());
                out.println("   fix: " + first.fix());
            }
        }
        out.flush();
    }

    private static List<Diagnosis> sortedByHost(List<Diagnosis> ds) {
        List<Diagnosis> out = new ArrayList<>(ds);
        out.sort(Comparator.comparing(Diagnosis::host, DoctorReport::natural));
        return out;
    }

    /** host2 before host10. */
    private static int natural(String a, String b) {
        String da = a.replaceAll("\\d+", "");
        String db = b.replaceAll("\\d+", "");
        int c = da.compareTo(db);
        if (c != 0) return a.compareTo(b);
        String na = a.replaceAll("\\D+", "");
        String nb = b.replaceAll("\\D+", "");
        if (na.isEmpty() || nb.isEmpty() || na.length() > 18 || nb.length() > 18) return a.compareTo(b);
        return Long.compare(Long.parseLong(na), Long.parseLong(nb));
    }
}
