package io.github.dl4jserving;

import io.github.dl4jserving.registry.RegistryEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.springframework.context.ApplicationEventPublisher;

/** Delivers a registry's events outside Spring, as the application context does inside it. */
public final class RegistryEvents implements ApplicationEventPublisher {
    private final List<Consumer<RegistryEvent>> listeners = new CopyOnWriteArrayList<>();

    public void deliverTo(Consumer<RegistryEvent> listener) {
        listeners.add(listener);
    }

    @Override
    public void publishEvent(Object event) {
        if (event instanceof RegistryEvent e) {
            listeners.forEach(l -> l.accept(e));
        }
    }
}
