package dev.fleet.history;

/**
 * What started a run.
 *
 * @param trigger {@code cli}, {@code api} or {@code schedule:<name>}
 */
public record RunMeta(String playbook, String inventory, String limit, String trigger, boolean check) {}
