package io.github.dl4jserving.platform;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Sets how many threads one ND4J operation may use ({@code dl4j-serving.nd4j-threads}, 1 by
 * default; 0 keeps ND4J's default of one per core). The server gets its parallelism from several
 * network replicas and HTTP threads, not from splitting one small matrix product across cores;
 * and a training job, which runs on one thread of its own, then takes one core instead of all of
 * them. Measured on 2 cores while a 10-epoch mnist-mlp job ran: p50 of single-PNG requests at one
 * connection 1.34 ms with 1 thread against 3.51 ms with ND4J's default (docs/training.md).
 */
@Component
class Nd4jThreads {
    private static final Logger log = LoggerFactory.getLogger(Nd4jThreads.class);

    Nd4jThreads(PlatformSettings properties) {
        int threads = properties.nd4jThreads();
        NativeBackend.limitOperationThreads(threads);
        if (threads > 0) {
            log.info("ND4J operations use at most {} thread(s) each (dl4j-serving.nd4j-threads)", threads);
        }
    }
}
