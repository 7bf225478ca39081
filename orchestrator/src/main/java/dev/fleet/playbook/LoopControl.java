package dev.fleet.playbook;

import java.time.Duration;

/**
 * A task's {@code loop_control}.
 *
 * @param loopVar  the name each item is bound to ({@code item})
 * @param indexVar a variable holding the 0-based index of the item, or null
 * @param label    a template shown instead of the whole item in output, or null
 * @param extended give {@code ansible_loop} its extended fields ({@code revindex}, {@code previtem}, ...)
 * @param pause    wait between items
 */
public record LoopControl(String loopVar, String indexVar, String label, boolean extended, Duration pause) {
    public static final LoopControl DEFAULT = new LoopControl("item", null, null, false, Duration.ZERO);
}
