package dev.fleet.cluster;

import com.hazelcast.cluster.Cluster;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * This JVM as a member of the cluster: Vert.x with a clustered event bus over Hazelcast. Hazelcast joins over
 * TCP/IP to the configured members (multicast and auto-detection off) and binds the configured address only; the
 * event bus, which carries all run traffic, requires TLS with a certificate signed by the cluster's CA on both
 * ends, so a JVM without one may see the membership but can neither send nor receive a message.
 */
final class ClusterNode implements AutoCloseable {
    /** How long starting a node may take (Hazelcast's join included) before it is reported as failed. */
    private static final Duration START_LIMIT = Duration.ofSeconds(60);
    /**
     * How long a member may send no heartbeat (sent every second) before the others remove it: a worker killed,
     * frozen (SIGSTOP, a swap storm) or cut off costs its in-flight tasks this long, plus a second or two for the
     * removal to reach the coordinator. Long enough for a full GC pause of a worker's small heap.
     */
    static final Duration MEMBER_TIMEOUT = Duration.ofSeconds(8);

    /** The member attribute in which Vert.x's Hazelcast cluster manager keeps its node id. */
    private static final String VERTX_NODE_ID = "__vertx.nodeId";

    final Vertx vertx;
    private final HazelcastClusterManager manager;

    private ClusterNode(Vertx vertx, HazelcastClusterManager manager) {
        this.vertx = vertx;
        this.manager = manager;
    }

    static ClusterNode start(ClusterConfig config) throws ClusterException {
        HazelcastClusterManager manager = new HazelcastClusterManager(hazelcast(config));
        EventBusOptions bus = new EventBusOptions().setHost(config.address()).setPort(config.busPort())
                .setClusterPublicHost(config.address()).setClusterPublicPort(config.busPort())
                .setSsl(true).setClientAuth(ClientAuth.REQUIRED)
                // the first handshake of a JVM just started on a busy machine took over Vert.x's default 10 s
                .setSslHandshakeTimeout(30).setSslHandshakeTimeoutUnit(TimeUnit.SECONDS)
                .setKeyCertOptions(new PemKeyCertOptions().setKeyPath(config.tls().key().toString())
                        .setCertPath(config.tls().cert().toString()))
                .setTrustOptions(new PemTrustOptions().addCertPath(config.tls().ca().toString()));
        VertxOptions options = new VertxOptions().setEventBusOptions(bus).setEventLoopPoolSize(2);
        try {
            Vertx vertx = Vertx.builder().with(options).withClusterManager(manager).buildClustered()
                    .toCompletionStage().toCompletableFuture().get(START_LIMIT.toSeconds(), TimeUnit.SECONDS);
            return new ClusterNode(vertx, manager);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while joining the cluster");
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new ClusterException("could not join cluster '" + config.name() + "' as " + config.address() + ":"
                    + config.port() + " (event bus " + config.busPort() + "), members " + config.members() + ": "
                    + cause.getMessage() + "; check that the address is this machine's and the ports are free");
        }
    }

    private static Config hazelcast(ClusterConfig config) {
        // Hazelcast logs through java.util.logging by default, onto the run's console; FLEET_CLUSTER_LOG=jdk shows it
        String logging = System.getenv().getOrDefault("FLEET_CLUSTER_LOG", "none");
        System.setProperty("hazelcast.logging.type", logging);
        Config hz = new Config();
        hz.setClusterName(config.name());
        hz.setProperty("hazelcast.logging.type", logging);
        hz.setProperty("hazelcast.phone.home.enabled", "false");
        hz.setProperty("hazelcast.socket.bind.any", "false");
        // a lone first member should not wait long for others before it starts the cluster
        hz.setProperty("hazelcast.wait.seconds.before.join", "0");
        hz.setProperty("hazelcast.max.wait.seconds.before.join", "1");
        // a member that stops answering is removed within seconds, not Hazelcast's default minute
        hz.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        hz.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(MEMBER_TIMEOUT.toSeconds()));
        hz.setProperty("hazelcast.shutdownhook.enabled", "false");
        NetworkConfig net = hz.getNetworkConfig();
        net.setPort(config.port()).setPortAutoIncrement(false).setPublicAddress(config.address() + ":" + config.port());
        // bind this address only (127.0.0.x need not be an interface's own address, so no interface matching)
        hz.setProperty("hazelcast.local.localAddress", config.address());
        JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2).setMembers(config.members());
        // what Vert.x's own default-cluster.xml configures for its subscription and node maps
        hz.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
                .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
        hz.getMapConfig("__vertx.haInfo").setBackupCount(1);
        hz.getMapConfig("__vertx.nodeInfo").setBackupCount(1);
        return hz;
    }

    /** This JVM's node id, as other members see it leave. */
    String nodeId() {
        return manager.getNodeId();
    }

    /**
     * Calls {@code left} with the node id of every member that leaves (or is removed) from now on, until the
     * returned action is run (a long-lived coordinator, {@code fleet serve}, watches once per run).
     */
    Runnable onMemberLeft(Consumer<String> left) {
        return onMembership(id -> { }, left);
    }

    /**
     * Calls {@code joined} with the node id of every member that joins, and {@code left} with that of every member
     * that leaves, from now on (on a Hazelcast thread). A joined member's Vert.x may not be up yet: a worker is
     * ready once its entry is in the registry ({@link Wire#REGISTRY}). Returns what stops the calls (a run that
     * ended on a node that lives on, such as a server's).
     */
    Runnable onMembership(Consumer<String> joined, Consumer<String> left) {
        Cluster cluster = manager.getHazelcastInstance().getCluster();
        UUID listener = cluster.addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                joined.accept(vertxNodeId(event.getMember()));
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                left.accept(vertxNodeId(event.getMember()));
            }
        });
        return () -> {
            try {
                cluster.removeMembershipListener(listener);
            } catch (RuntimeException e) {
                // the node is leaving or gone: no more events anyway
            }
        };
    }

    /**
     * The Vert.x node id of a member, as {@link #nodeId} and the registry name it: Vert.x keeps it in a member
     * attribute, not Hazelcast's member UUID.
     */
    private static String vertxNodeId(Member member) {
        String id = member.getAttribute(VERTX_NODE_ID);
        return id != null ? id : member.getUuid().toString();
    }

    /** Whether {@code nodeId} is a member now. */
    boolean isMember(String nodeId) {
        return manager.getNodes().contains(nodeId);
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            // leaving the cluster is best-effort: the others remove a silent member by its missed heartbeats
        }
    }
}
