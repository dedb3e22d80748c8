package io.github.dl4jserving.inference.internal;

import io.github.dl4jserving.inference.InferenceService;
import io.github.dl4jserving.platform.LifecyclePhases;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The inference module's start: the defaults warm up once the registry has loaded them, before the server opens. */
@Configuration(proxyBeanMethods = false)
class InferenceConfiguration {
    @Bean
    SmartLifecycle inferenceLifecycle(InferenceService inference) {
        return LifecyclePhases.at(LifecyclePhases.INFERENCE, inference::warmUpDefaults);
    }
}
