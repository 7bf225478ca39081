package dev.fleet.engine;

/**
 * Ansible's {@code host_pinned}: like {@code free}, but a host that has started keeps going to the end of the
 * play before another host starts, so at most {@code --forks} hosts are ever part-way through it.
 */
final class HostPinnedStrategy implements Strategy {

    @Override
    public String name() {
        return "host_pinned";
    }

    @Override
    public void run(PlayBatch batch, Runnable done) {
        new FreeStrategy.Walk(batch, done, batch.forks()).start();
    }
}
