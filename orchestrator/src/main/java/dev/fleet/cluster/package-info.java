/**
 * One run spread over several JVMs: {@code fleet worker} processes that run hosts' tasks with their own SSH keys,
 * and a coordinator ({@code fleet run --cluster}) that drives the run and sends each host-task to the worker that
 * owns the host, over Vert.x's clustered event bus (Hazelcast cluster manager, TCP/IP join, mutual TLS). Nothing
 * outside this package and the two CLI commands refers to it, so a one-JVM run loads none of its classes.
 */
package dev.fleet.cluster;
