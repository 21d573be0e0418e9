package dev.llmserve.worker.replicas;

/**
 * The loopback ports one run of a replica listens on.
 *
 * @param grpc its gRPC server ({@code Inference}, gRPC health)
 * @param http its Actuator HTTP server (readiness, Prometheus)
 */
record LaunchPorts(int grpc, int http) {
}
