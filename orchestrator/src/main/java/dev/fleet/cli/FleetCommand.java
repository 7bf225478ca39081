package dev.fleet.cli;

import picocli.CommandLine.Command;

@Command(name = "fleet", mixinStandardHelpOptions = true, versionProvider = FleetCommand.Version.class,
        description = "Runs Ansible-style YAML playbooks over SSH against a fleet of hosts, concurrently.",
        subcommands = {RunCommand.class, DoctorCommand.class, InventoryCommand.class, HistoryCommand.class,
                ServeCommand.class, VaultCommand.class},
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
            return new String[] {"fleet " + (v == null ? "0.1.0-dev" : v) + " (Java " + Runtime.version() + ")"};
        }
    }
}
