package dev.fleet.lookup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code file}: the text of controller-side files, found in {@code files/} of the search path. Trailing
 * whitespace is stripped unless {@code rstrip=false}; leading whitespace only with {@code lstrip=true}.
 */
final class FileLookup implements Lookup {
    @Override
    public String name() {
        return "file";
    }

    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options, LookupContext ctx)
            throws LookupException {
        boolean lstrip = Terms.bool(options.getOrDefault("lstrip", false), "lstrip");
        boolean rstrip = Terms.bool(options.getOrDefault("rstrip", true), "rstrip");
        List<Object> out = new ArrayList<>();
        for (Object term : terms) {
            String name = Terms.string(term, "file");
            Path file = ctx.find("files", name).filter(Files::isRegularFile).orElseThrow(() -> new LookupException(
                    "could not locate file in lookup: " + name + " (searched " + ctx.searchDirs()
                            + ", and files/ in each)"));
            String text = read(file, name);
            if (lstrip) text = text.stripLeading();
            if (rstrip) text = text.stripTrailing();
            out.add(text);
        }
        return out;
    }

    static String read(Path file, String name) throws LookupException {
        try {
            checkSize(file, name);
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LookupException("could not read " + name + " (" + file + "): " + e.getMessage(), e);
        }
    }

    /** Refuses a file over {@link Lookup#MAX_TEXT_BYTES} before reading it, rather than holding it all. */
    static void checkSize(Path file, String name) throws IOException, LookupException {
        long size = Files.size(file);
        if (size > MAX_TEXT_BYTES) {
            throw new LookupException(name + " (" + file + ") is " + size + " bytes, over the limit of "
                    + (MAX_TEXT_BYTES >> 20) + " MiB for a file a lookup reads; copy it to the hosts with copy: src=");
        }
    }
}
