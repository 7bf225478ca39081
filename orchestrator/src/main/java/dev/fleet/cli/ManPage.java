package dev.fleet.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The man pages of fleet, one per command ({@code fleet.1}, {@code fleet-run.1}, {@code fleet-history-show.1},
 * ...), written as troff from the same picocli model the parser and {@code --help} use, so they cannot go stale.
 * scripts/package runs it: {@code java -cp fleet.jar dev.fleet.cli.ManPage DIR [YYYY-MM-DD]}.
 */
public final class ManPage {
    private ManPage() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: java -cp fleet.jar dev.fleet.cli.ManPage DIR [YYYY-MM-DD]");
            System.exit(5);
        }
        String date = args.length == 2 ? args[1] : LocalDate.now().toString();
        for (Path page : write(Path.of(args[0]), date)) System.out.println(page);
    }

    /** Writes a page for fleet and for each of its (nested) subcommands into {@code dir}; returns their paths. */
    public static List<Path> write(Path dir, String date) throws IOException {
        Files.createDirectories(dir);
        String source = new FleetCommand.Version().getVersion()[0].replaceFirst(", Java [^)]*", "");
        List<Path> pages = new ArrayList<>();
        writeAll(new CommandLine(new FleetCommand()), dir, date, source, pages);
        return pages;
    }

    private static void writeAll(CommandLine cmd, Path dir, String date, String source, List<Path> pages)
            throws IOException {
        String name = pageName(cmd.getCommandSpec());
        Path page = dir.resolve(name + ".1");
        Files.writeString(page, page(cmd.getCommandSpec(), date, source), StandardCharsets.UTF_8);
        pages.add(page);
        for (CommandLine sub : subcommands(cmd.getCommandSpec())) writeAll(sub, dir, date, source, pages);
    }

    /** One command's page: NAME, SYNOPSIS, DESCRIPTION, ARGUMENTS, OPTIONS, COMMANDS, the footer, SEE ALSO. */
    static String page(CommandSpec spec, String date, String source) {
        Help help = new Help(spec, Help.defaultColorScheme(Help.Ansi.OFF));
        String name = pageName(spec);
        String[] description = spec.usageMessage().description();
        StringBuilder t = new StringBuilder();
        t.append(".TH ").append(name.toUpperCase(java.util.Locale.ROOT)).append(" 1 ").append(quoted(date))
                .append(' ').append(quoted(source)).append(" \"fleet manual\"\n");
        t.append(".nh\n"); // no hyphenation: option and command names must stay whole
        t.append(".SH NAME\n").append(escape(name)).append(" \\- ")
                .append(escape(description.length == 0 ? "" : description[0])).append('\n');
        t.append(".SH SYNOPSIS\n.nf\n").append(lines(help.synopsis(0).stripTrailing())).append(".fi\n");
        t.append(".SH DESCRIPTION\n");
        for (String line : description) t.append(line.isBlank() ? ".PP\n" : escape(line) + "\n");
        List<PositionalParamSpec> params = spec.positionalParameters().stream().filter(p -> !p.hidden()).toList();
        if (!params.isEmpty()) {
            t.append(".SH ARGUMENTS\n");
            for (PositionalParamSpec p : params) item(t, "\\fI" + escape(p.paramLabel()) + "\\fR", p);
        }
        t.append(".SH OPTIONS\n");
        for (OptionSpec o : spec.options()) {
            if (o.hidden()) continue;
            StringBuilder names = new StringBuilder();
            for (String n : o.names()) names.append(names.isEmpty() ? "" : ", ").append("\\fB").append(escape(n))
                    .append("\\fR");
            if (o.arity().max() > 0) names.append("=\\fI").append(escape(o.paramLabel())).append("\\fR");
            item(t, names.toString(), o);
        }
        List<CommandLine> subs = subcommands(spec);
        if (!subs.isEmpty()) {
            t.append(".SH COMMANDS\n");
            for (CommandLine sub : subs) {
                String[] d = sub.getCommandSpec().usageMessage().description();
                t.append(".TP\n\\fB").append(escape(sub.getCommandName())).append("\\fR\n")
                        .append(escape(d.length == 0 ? "" : d[0])).append(" See \\fB")
                        .append(escape(pageName(sub.getCommandSpec()))).append("\\fR(1).\n");
            }
        }
        String[] footer = spec.usageMessage().footer();
        if (footer.length > 0) {
            t.append(".SH NOTES\n");
            for (String line : footer) t.append(line.isBlank() ? ".PP\n" : escape(line) + "\n");
        }
        if (spec.parent() != null) {
            t.append(".SH SEE ALSO\n\\fB").append(escape(pageName(spec.parent()))).append("\\fR(1)\n");
        }
        return t.toString();
    }

    private static void item(StringBuilder t, String term, ArgSpec arg) {
        t.append(".TP\n").append(term).append('\n');
        for (String line : arg.description()) t.append(escape(expand(line, arg))).append('\n');
    }

    /** The help variables picocli fills in when it prints --help: fill them in the same way. */
    private static String expand(String line, ArgSpec arg) {
        String candidates = "";
        if (arg.completionCandidates() != null) candidates = String.join(", ", arg.completionCandidates());
        String value = arg.defaultValueString();
        return line.replace("${DEFAULT-VALUE}", value == null ? "" : value)
                .replace("${COMPLETION-CANDIDATES}", candidates);
    }

    private static List<CommandLine> subcommands(CommandSpec spec) {
        List<CommandLine> subs = new ArrayList<>();
        for (Map.Entry<String, CommandLine> e : spec.subcommands().entrySet()) {
            // aliases appear under every name: one entry per command
            if (e.getKey().equals(e.getValue().getCommandName()) && !e.getValue().getCommandSpec().usageMessage()
                    .hidden()) {
                subs.add(e.getValue());
            }
        }
        return subs;
    }

    /** "fleet history show" -> "fleet-history-show", the page's file and NAME. */
    static String pageName(CommandSpec spec) {
        return spec.qualifiedName("-");
    }

    private static String lines(String text) {
        StringBuilder b = new StringBuilder();
        for (String line : text.split("\n", -1)) b.append(escape(line)).append('\n');
        return b.toString();
    }

    private static String quoted(String s) {
        return "\"" + escape(s).replace("\"", "\\(dq") + "\"";
    }

    /** troff text: backslashes and hyphens escaped, a line never starting with a control character. */
    static String escape(String s) {
        String e = s.replace("\\", "\\e").replace("-", "\\-");
        return e.startsWith(".") || e.startsWith("'") ? "\\&" + e : e;
    }
}
