package dev.fleet.lookup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code pipe}: the stdout of a shell command run on the controller, trailing whitespace stripped. */
final class PipeLookup implements Lookup {
    @Override
    public String name() {
        return "pipe";
    }

    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options, LookupContext ctx)
            throws LookupException {
        List<Object> out = new ArrayList<>();
        for (Object term : terms) {
            // Ansible runs str(term): a number is a command too.
            String command = term instanceof String s ? s : String.valueOf(term);
            out.add(ControllerCommand.stdout(command, ctx.baseDir(), "pipe").stripTrailing());
        }
        return out;
    }
}
