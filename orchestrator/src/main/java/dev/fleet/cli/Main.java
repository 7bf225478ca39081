package dev.fleet.cli;

import dev.fleet.engine.ExitCodes;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Entry point: {@code java -jar fleet.jar <command>}. Maps every failure to Ansible's exit codes. */
public final class Main {
    /** True when fleet owns the process (signals then cancel the run); false when embedded in tests. */
    static volatile boolean standalone;

    private Main() {}

    public static void main(String[] args) {
        standalone = true;
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out),
                StandardCharsets.UTF_8), false);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err),
                StandardCharsets.UTF_8), true);
        int code = execute(out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs the CLI with the given output streams and returns the exit code (tests run fleet in-process). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new FleetCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        // "-e @vars.yml" is Ansible's extra-vars file, not picocli's argument file: leave '@' words alone.
        cli.setExpandAtFiles(false);
        cli.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("fleet: " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help' for the options.");
            return ExitCodes.BAD_OPTIONS;
        });
        cli.setExecutionExceptionHandler((ex, c, parsed) -> {
            c.getErr().println("fleet: unexpected error: " + ex);
            if (System.getenv("FLEET_DEBUG") != null) ex.printStackTrace(c.getErr());
            return ExitCodes.ERROR;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
