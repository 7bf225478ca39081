/**
 * One run spread over several JVMs: {@code fleet worker} processes that run hosts' tasks with their own SSH keys,
 * and a coordinator ({@link dev.fleet.cluster.ClusterCoordinator}: {@code fleet run --cluster}, or {@code fleet
 * serve} with a {@code cluster:} section) that drives the run and sends each host-task to the worker that owns the
 * host, over Vert.x's clustered event bus (Hazelcast cluster manager, TCP/IP join, mutual TLS). Nothing refers to
 * it but the two CLI commands and serve's {@code ClusterLauncher} and config (only when it has a cluster section),
 * so a one-JVM run or service loads none of its classes. It uses the engine; nothing here knows serve.
 */
package dev.fleet.cluster;
