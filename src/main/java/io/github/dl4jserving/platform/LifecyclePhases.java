package io.github.dl4jserving.platform;

import org.springframework.context.SmartLifecycle;

/**
 * When the service's parts start, in one place. Beans are built without side effects; their work
 * (scanning the store, warming the networks, resuming jobs) starts in {@link SmartLifecycle#start()},
 * in these phases, lowest first, and all before the web server (Spring Boot starts it at {@code
 * DEFAULT_PHASE - 2048}), so the service is ready only once its models are loaded and warm. They stop
 * in the reverse order, after the web server.
 */
public final class LifecyclePhases {
    /** The store is seeded and scanned; the loaded versions are announced. */
    public static final int REGISTRY = SmartLifecycle.DEFAULT_PHASE - 5000;
    /** The default version of each model runs its warm-up batch. */
    public static final int INFERENCE = SmartLifecycle.DEFAULT_PHASE - 4000;
    /** Jobs interrupted by the last stop are marked or queued again. */
    public static final int TRAINING = SmartLifecycle.DEFAULT_PHASE - 3000;
    /**
     * The gRPC server opens with the web server (Boot's phase for it), after the models are warm, and
     * closes with it, before the models are released.
     */
    public static final int GRPC_SERVER = SmartLifecycle.DEFAULT_PHASE - 2048;

    private LifecyclePhases() {}

    /**
     * A lifecycle that runs {@code start} once, in {@code phase}. Stopping does nothing: what the work
     * started (queues, running jobs) closes with its bean, after the web server has stopped.
     */
    public static SmartLifecycle at(int phase, Runnable start) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                start.run();
                running = true;
            }

            @Override
            public void stop() {
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }

            @Override
            public int getPhase() {
                return phase;
            }
        };
    }
}
