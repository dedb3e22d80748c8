package io.github.dl4jserving.grpc;

import io.github.dl4jserving.inference.InferenceService;
import io.github.dl4jserving.inference.ModelReadiness;
import io.github.dl4jserving.platform.ApiKeys;
import io.github.dl4jserving.platform.InferenceSlots;
import io.github.dl4jserving.platform.PlatformSettings;
import io.github.dl4jserving.platform.Rejections;
import io.github.dl4jserving.platform.SecuritySettings;
import io.micrometer.core.instrument.binder.grpc.ObservationGrpcServerInterceptor;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the gRPC port from the services the REST API uses. Each call is observed first (Micrometer's
 * {@code grpc.server} timer by method and status, and a server span continuing the caller's trace
 * when tracing is on), then its API key checked.
 */
@Configuration(proxyBeanMethods = false)
class GrpcConfiguration {

    @Bean
    GrpcServer grpcServer(
            GrpcSettings settings,
            PlatformSettings platform,
            SecuritySettings security,
            InferenceService inference,
            ModelReadiness readiness,
            InferenceSlots slots,
            Rejections rejections,
            ObservationRegistry observations,
            ObjectProvider<BuildProperties> build,
            @Value("${spring.lifecycle.timeout-per-shutdown-phase:30s}") Duration drain) {
        BuildProperties props = build.getIfAvailable();
        InferenceGrpcService service = new InferenceGrpcService(
                inference, readiness, slots, rejections, props != null ? props.getVersion() : "dev");
        return new GrpcServer(
                settings,
                (int) Math.min(Integer.MAX_VALUE, platform.maxBodySize().toBytes()),
                List.of(service),
                List.of(
                        new ObservationGrpcServerInterceptor(observations),
                        new ApiKeyInterceptor(new ApiKeys(security))),
                readiness::serviceReady,
                drain.toSeconds());
    }
}
