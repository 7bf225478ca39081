package dev.fleet.cli;

import picocli.CommandLine.Command;

@Command(name = "fleet", mixinStandardHelpOptions = true, versionProvider = FleetCommand.Version.class,
        description = "Runs Ansible-style YAML playbooks over SSH against a fleet of hosts, concurrently.",
        subcommands = {RunCommand.class, DoctorCommand.class, InventoryCommand.class, HistoryCommand.class,
                ServeCommand.class, VaultCommand.class, CompletionCommand.class, WorkerCommand.class},
        footer = {"", "Exit codes: 0 all good, 1 error, 2 a host failed, 3 a host was unreachable,",
                "4 playbook/inventory error, 5 bad options, 99 interrupted."})
final class FleetCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements picocli.CommandLine.IVersionProvider {
        public String[] getVersion() {
            String v = FleetCommand.class.getPackage().getImplementationVersion();
            return new String[] {"fleet " + (v == null ? "0.1.0-dev" : v) + " (commit " + commit() + ", Java "
                    + Runtime.version() + ")"};
        }

        /**
         * The git commit the jar was built from: its manifest's Fleet-Commit, which the build takes from
         * {@code -Dfleet.commit} (the launcher and scripts/test pass {@code git describe --always --dirty}).
         */
        static String commit() {
            try {
                var source = FleetCommand.class.getProtectionDomain().getCodeSource();
                // no location: a class-data archive made for the jar at another path (JDK 25 maps it all the same)
                if (source == null || source.getLocation() == null
                        || !source.getLocation().getPath().endsWith(".jar")) {
                    return "unknown";
                }
                try (var jar = new java.util.jar.JarFile(new java.io.File(source.getLocation().toURI()))) {
                    var manifest = jar.getManifest();
                    String c = manifest == null ? null : manifest.getMainAttributes().getValue("Fleet-Commit");
                    return c == null || c.isBlank() ? "unknown" : c;
                }
            } catch (java.io.IOException | java.net.URISyntaxException | SecurityException e) {
                return "unknown";
            }
        }
    }
}
