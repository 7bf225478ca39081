package dev.fleet.engine;

/**
 * How the hosts of one batch walk a play's steps, as Ansible's strategy plugins decide it. A strategy only
 * orders work: running a step, recording its result, blocks, handlers and {@code run_once} sharing are the
 * batch's ({@link PlayBatch}). Implementations are registered in {@link Strategies}; adding one touches no other.
 * Every method is called on the run's event-loop context and must not block.
 */
interface Strategy {

    /** The name a play selects it by ({@code strategy: linear}). */
    String name();

    /** Walks {@code batch}'s hosts through its steps, then calls {@code done} exactly once. */
    void run(PlayBatch batch, Runnable done);
}
