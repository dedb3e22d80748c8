package io.github.dl4jserving.platform;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.bytedeco.javacpp.Pointer;
import org.springframework.stereotype.Component;

/**
 * ND4J's off-heap memory as JavaCPP accounts for it: with DL4J it is native memory, not the heap,
 * that runs out first.
 */
@Component
class NativeMemoryMetrics implements MeterBinder {

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("dl4j.nd4j.offheap.used", Pointer::totalBytes)
                .baseUnit("bytes")
                .description("Off-heap bytes allocated through JavaCPP (ND4J buffers)")
                .register(registry);
        Gauge.builder("dl4j.nd4j.offheap.max", Pointer::maxBytes)
                .baseUnit("bytes")
                .description("The JavaCPP off-heap limit (org.bytedeco.javacpp.maxbytes)")
                .register(registry);
        Gauge.builder("dl4j.nd4j.physical.used", Pointer::physicalBytes)
                .baseUnit("bytes")
                .description("Resident memory of the process as JavaCPP measures it")
                .register(registry);
    }
}
