package dev.fleet.cluster;

/** The cluster cannot do what a run asks (no node to join, no live worker, a worker refused the run). */
public final class ClusterException extends Exception {
    public ClusterException(String message) {
        super(message);
    }
}
