package dev.fleet.cli;

import dev.fleet.engine.ExitCodes;
import sun.misc.Signal;

/**
 * Turns SIGINT and SIGTERM into a cancel of the running run, so it ends with a partial report and exit code 99
 * instead of dying mid-write. A second signal exits at once.
 */
final class Interrupts {
    private Interrupts() {}

    static void onInterrupt(Runnable cancel) {
        boolean[] seen = new boolean[1];
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), sig -> {
                    if (seen[0]) Runtime.getRuntime().halt(ExitCodes.INTERRUPTED);
                    seen[0] = true;
                    System.err.println("\nfleet: interrupted; stopping running tasks (press Ctrl-C again to quit now)");
                    cancel.run();
                });
            } catch (IllegalArgumentException e) {
                // signal not available on this platform: default handling stays
            }
        }
    }
}
