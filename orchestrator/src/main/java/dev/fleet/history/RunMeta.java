package dev.fleet.history;

/**
 * What started a run.
 *
 * @param trigger {@code cli}, {@code api} or {@code schedule:<name>}
 * @param args    how a CLI run was started, to start it again ({@code --retry-failed}); null for other runs and
 *                for runs recorded before fleet kept it
 */
public record RunMeta(String playbook, String inventory, String limit, String trigger, boolean check, RunArgs args) {

    public RunMeta(String playbook, String inventory, String limit, String trigger, boolean check) {
        this(playbook, inventory, limit, trigger, check, null);
    }
}
