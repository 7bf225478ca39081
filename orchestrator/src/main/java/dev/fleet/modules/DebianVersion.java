package dev.fleet.modules;

/**
 * Debian version ordering ({@code dpkg --compare-versions}): epoch, then upstream version, then revision, each
 * compared the way dpkg does (runs of non-digits with {@code ~} before everything, letters before other symbols;
 * runs of digits numerically). Used by {@code apt} for {@code name>=version} specs.
 */
final class DebianVersion {
    private DebianVersion() {}

    /** Negative, zero or positive as {@code a} is older than, the same as or newer than {@code b}. */
    static int compare(String a, String b) {
        String[] x = split(a.strip());
        String[] y = split(b.strip());
        long ea = parseEpoch(x[0]);
        long eb = parseEpoch(y[0]);
        if (ea != eb) return Long.compare(ea, eb);
        int c = comparepart(x[1], y[1]);
        return c != 0 ? c : comparepart(x[2], y[2]);
    }

    /** epoch, upstream version, revision ("0" when absent, as dpkg compares a missing revision). */
    private static String[] split(String v) {
        int colon = v.indexOf(':');
        String epoch = colon > 0 ? v.substring(0, colon) : "0";
        String rest = colon >= 0 ? v.substring(colon + 1) : v;
        int dash = rest.lastIndexOf('-');
        return dash >= 0 ? new String[] {epoch, rest.substring(0, dash), rest.substring(dash + 1)}
                : new String[] {epoch, rest, "0"};
    }

    private static long parseEpoch(String e) {
        try {
            return Long.parseLong(e);
        } catch (NumberFormatException ex) {
            return 0;
        }
    }

    /** dpkg's verrevcmp. */
    private static int comparepart(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            int firstDiff = 0;
            while ((i < a.length() && !Character.isDigit(a.charAt(i)))
                    || (j < b.length() && !Character.isDigit(b.charAt(j)))) {
                int ac = order(a, i);
                int bc = order(b, j);
                if (ac != bc) return ac - bc;
                i++;
                j++;
            }
            while (i < a.length() && a.charAt(i) == '0') i++;
            while (j < b.length() && b.charAt(j) == '0') j++;
            while (i < a.length() && Character.isDigit(a.charAt(i))
                    && j < b.length() && Character.isDigit(b.charAt(j))) {
                if (firstDiff == 0) firstDiff = a.charAt(i) - b.charAt(j);
                i++;
                j++;
            }
            if (i < a.length() && Character.isDigit(a.charAt(i))) return 1;
            if (j < b.length() && Character.isDigit(b.charAt(j))) return -1;
            if (firstDiff != 0) return firstDiff;
        }
        return 0;
    }

    /** The weight of the character at {@code i} (end of string and digits weigh 0). */
    private static int order(String s, int i) {
        if (i >= s.length()) return 0;
        char c = s.charAt(i);
        if (Character.isDigit(c)) return 0;
        if (Character.isLetter(c)) return c;
        if (c == '~') return -1;
        return c + 256;
    }
}
