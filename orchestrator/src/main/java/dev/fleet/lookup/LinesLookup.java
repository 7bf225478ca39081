package dev.fleet.lookup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** {@code lines}: each line of the stdout of a shell command run on the controller, one item per line. */
final class LinesLookup implements Lookup {
    /** Line breaks as Ansible splits the command's output bytes (bytes.splitlines): \n, \r and \r\n. */
    private static final Pattern LINE_BREAK = Pattern.compile("\r\n|[\n\r]");

    @Override
    public String name() {
        return "lines";
    }

    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options, LookupContext ctx)
            throws LookupException {
        List<Object> out = new ArrayList<>();
        for (Object term : terms) {
            String stdout = ControllerCommand.stdout(Terms.string(term, "lines"), ctx.baseDir(), "lines");
            if (stdout.isEmpty()) continue;
            String[] lines = LINE_BREAK.split(stdout, -1);
            int n = lines.length;
            if (lines[n - 1].isEmpty()) n--; // a final line break ends the last line, it does not start one
            for (int i = 0; i < n; i++) out.add(lines[i]);
        }
        return out;
    }
}
