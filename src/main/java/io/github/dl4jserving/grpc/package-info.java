/**
 * The gRPC front end: the Open Inference Protocol's {@code inference.GRPCInferenceService} on its own
 * port ({@code dl4j-serving.grpc.port}), beside gRPC health checking and server reflection. Like the
 * web package it only translates: messages to {@link io.github.dl4jserving.inference.TensorRequest}
 * and answers back, refusals to status codes. The inference path, the API key check and the
 * in-flight slots are the ones the REST API uses. The message classes are generated at build time
 * from {@code src/main/protobuf} into {@code io.github.dl4jserving.grpc.v2}.
 */
package io.github.dl4jserving.grpc;
