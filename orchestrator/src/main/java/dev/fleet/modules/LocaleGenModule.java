package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code community.general.locale_gen}: makes a locale generated or not, as the collection's module does. Debian:
 * the locale's line in {@code /etc/locale.gen} is uncommented (or commented out) and {@code locale-gen} rebuilds
 * the locales; Ubuntu (where {@code /var/lib/locales/supported.d/} exists): {@code locale-gen <name>} adds it, and
 * removing drops it from {@code supported.d/local} and runs {@code locale-gen --purge}. Whether the locale is
 * there is read from {@code locale -a}, with the encoding's spelling normalised ({@code utf8} is {@code UTF-8}).
 */
final class LocaleGenModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.str("name").required(), Arg.str("state").choices("absent", "present").defaultsTo("present"))
            .build();
    private static final Map<String, String> NORMALIZATION = normalization();
    private static final Pattern DEBIAN_LINE = Pattern.compile("^#?\\s*(\\S+_\\S+) (\\S+)\\s*$");
    private static final Pattern SUPPORTED_LINE = Pattern.compile("^(\\S+_\\S+) (\\S+)\\s*$");
    private static final String LOCAL = "/var/lib/locales/supported.d/local";

    public String name() {
        return "locale_gen";
    }

    @Override
    public String collection() {
        return "community.general";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException {
        String locale = ctx.str("name");
        boolean present = ctx.str("state").equals("present");
        ProbeAnswer probe = probe(ctx);
        String mode = Objects.requireNonNullElse(probe.get("mode"), "none");
        if (mode.equals("none")) {
            return TaskOutcome.failed("/etc/locale.gen and /var/lib/locales/supported.d/local are missing. Is the "
                    + "package \"locales\" installed?");
        }
        boolean ubuntu = mode.equals("ubuntu");
        String available = text(probe, "avail");
        if (!isAvailable(locale, available, ubuntu)) {
            return TaskOutcome.failed("The locale you've entered is not available on your system.");
        }
        boolean wasPresent = text(probe, "present").lines()
                .anyMatch(l -> fixCase(l).equals(fixCase(locale)));
        boolean changed = wasPresent != present;
        if (ctx.check()) return changed ? TaskOutcome.changed("") : TaskOutcome.ok("");
        if (changed) {
            CommandResult r;
            if (!ubuntu) {
                String edited = setLocale(available, locale, present);
                r = RemoteFiles.sh(ctx, "cat > /etc/locale.gen && locale-gen",
                        edited.getBytes(StandardCharsets.UTF_8));
            } else if (present) {
                r = RemoteFiles.sh(ctx, "locale-gen " + ShellQuote.quote(locale));
            } else {
                String kept = withoutLocale(text(probe, "local"), locale);
                r = RemoteFiles.sh(ctx, "cat > " + LOCAL + " && locale-gen --purge",
                        kept.getBytes(StandardCharsets.UTF_8));
            }
            if (r.exitCode() != 0) {
                return new TaskOutcome(dev.fleet.result.TaskStatus.FAILED, null, r.stdout(), r.stderr(),
                        "[Errno " + r.exitCode() + "] locale.gen failed to execute, it returned " + r.exitCode(),
                        Map.of("exitValue", r.exitCode()));
            }
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", locale);
        return (changed ? TaskOutcome.changed("OK") : TaskOutcome.ok("OK")).withData(data);
    }

    /** One round trip: which layout the host has, the list of available locales, and {@code locale -a}. */
    private static ProbeAnswer probe(ModuleContext ctx) throws TransportException {
        String s = "if [ -e /var/lib/locales/supported.d/ ]; then echo mode=ubuntu; a=/usr/share/i18n/SUPPORTED\n"
                + "  [ -f " + LOCAL + " ] && echo \"local=$(base64 -w0 < " + LOCAL + ")\"\n"
                + "elif [ -e /etc/locale.gen ]; then echo mode=debian; a=/etc/locale.gen\n"
                + "else echo mode=none; exit 0; fi\n"
                + "echo \"avail=$(base64 -w0 < \"$a\")\"\n"
                + "echo \"present=$(locale -a 2>/dev/null | base64 -w0)\"\n";
        return ProbeAnswer.parse(RemoteFiles.sh(ctx, s).stdout());
    }

    private static String text(ProbeAnswer probe, String key) {
        return Objects.requireNonNullElse(probe.text(key), "");
    }

    static boolean isAvailable(String locale, String list, boolean ubuntu) {
        Pattern p = ubuntu ? SUPPORTED_LINE : DEBIAN_LINE;
        return list.lines().map(p::matcher).anyMatch(m -> m.matches() && m.group(1).equals(locale));
    }

    /** {@code locale -a} spells encodings in lower case ({@code en_US.utf8}); compare with the usual spelling. */
    static String fixCase(String name) {
        String out = name;
        for (Map.Entry<String, String> e : NORMALIZATION.entrySet()) out = out.replace(e.getKey(), e.getValue());
        return out;
    }

    /**
     * /etc/locale.gen with the locale's line enabled or commented out ({@code # name charset}). The name is a
     * regular expression here, as in the collection's module.
     */
    static String setLocale(String text, String locale, boolean enabled) throws ModuleException {
        Pattern p;
        try {
            p = Pattern.compile("#?\\s*" + locale + " (?<charset>.+)", Pattern.UNIX_LINES);
        } catch (PatternSyntaxException e) {
            throw new ModuleException("argument 'name' is not a locale name: '" + locale + "'");
        }
        String replacement = (enabled ? "" : "# ") + Matcher.quoteReplacement(locale) + " ${charset}";
        StringBuilder out = new StringBuilder();
        for (String line : LineEdits.splitLines(text, false)) out.append(p.matcher(line).replaceAll(replacement));
        return out.toString();
    }

    /** supported.d/local without the locale's lines. */
    static String withoutLocale(String text, String locale) {
        List<String> kept = new ArrayList<>();
        for (String line : LineEdits.splitLines(text, false)) {
            if (!line.split(" ", 2)[0].equals(locale)) kept.add(line);
        }
        return String.join("", kept);
    }

    private static Map<String, String> normalization() {
        Map<String, String> m = new LinkedHashMap<>();
        String[] pairs = {".utf8", ".UTF-8", ".eucjp", ".EUC-JP", ".iso885915", ".ISO-8859-15", ".cp1251", ".CP1251",
            ".koi8r", ".KOI8-R", ".armscii8", ".ARMSCII-8", ".euckr", ".EUC-KR", ".gbk", ".GBK", ".gb18030",
            ".GB18030", ".euctw", ".EUC-TW"};
        for (int i = 0; i < pairs.length; i += 2) m.put(pairs[i], pairs[i + 1]);
        return m;
    }
}
