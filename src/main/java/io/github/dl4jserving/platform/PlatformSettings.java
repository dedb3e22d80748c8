package io.github.dl4jserving.platform;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The {@code dl4j-serving.*} settings of the HTTP edge and the native runtime. Names are stable:
 * scripts and docs use them. Each module binds its own settings from the same prefix.
 *
 * @param maxBodySize          the largest request body accepted, multipart or raw
 * @param nd4jThreads          threads one ND4J operation may use; 0 keeps ND4J's default (one per core)
 * @param maxInflightInference inference requests inside the service at once; more get 503 at once (0: no limit)
 * @param bodyReadTimeout      the longest silence while a body is read (Tomcat's upload timeout), and the
 *                             base of the deadline for a whole inference body
 * @param bodyMinRate          the slowest an inference body may arrive, per second, after the first
 *                             {@code bodyReadTimeout}: a body of n bytes must be in within
 *                             {@code bodyReadTimeout + n / bodyMinRate}; slower senders get 408
 * @param maxBodyReads         inference requests whose bodies are being read at once, before they take
 *                             an inference slot; more get 503 at once. Below Tomcat's threads (512),
 *                             so slow senders cannot take every thread
 * @param maxEventStreams      open {@code GET /jobs/{id}/events} streams in all; more get 429
 * @param maxEventStreamsPerClient the same, per client address
 */
@ConfigurationProperties("dl4j-serving")
public record PlatformSettings(
        @DefaultValue("10MB") DataSize maxBodySize,
        @DefaultValue("1") int nd4jThreads,
        @DefaultValue("64") int maxInflightInference,
        @DefaultValue("10s") Duration bodyReadTimeout,
        @DefaultValue("64KB") DataSize bodyMinRate,
        @DefaultValue("384") int maxBodyReads,
        @DefaultValue("1000") int maxEventStreams,
        @DefaultValue("16") int maxEventStreamsPerClient) {}
