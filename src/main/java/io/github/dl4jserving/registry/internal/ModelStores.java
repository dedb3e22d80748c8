package io.github.dl4jserving.registry.internal;

import io.github.dl4jserving.registry.RegistrySettings;
import io.github.dl4jserving.registry.StoreUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens the store that {@code dl4j-serving.registry.*} names, and seeds it from the shipped models. */
public final class ModelStores {
    private static final Logger log = LoggerFactory.getLogger(ModelStores.class);

    private ModelStores() {}

    /** The store of {@code settings}: the models directory, or an S3 bucket cached under it. */
    public static ModelStore open(RegistrySettings settings) {
        RegistrySettings.Store store = settings.registry();
        String single = store.singleModel().orElse(null);
        return switch (store.store()) {
            case FILESYSTEM -> new FileModelStore(settings.modelsPath(), single, store.readOnly());
            case S3 ->
                new S3ModelStore(
                        S3Clients.of(store.s3()),
                        store.s3().bucket(),
                        store.s3().prefix(),
                        settings.modelsPath().resolve(".s3-cache"),
                        single,
                        store.readOnly());
        };
    }

    /**
     * Gives {@code store} the shipped versions under {@code seeds} it has never had, and logs what was
     * copied. Returns false, having changed nothing, when the store cannot be reached: the caller tries
     * again later.
     */
    public static boolean seed(ModelStore store, Path seeds) throws IOException {
        if (store.readOnly()) {
            return true;
        }
        if (!Files.isDirectory(seeds)) {
            log.info(
                    "No shipped models at {}: the registry at {} starts with what it holds",
                    seeds.toAbsolutePath(),
                    store.location());
            return true;
        }
        try {
            List<ModelStore.StoredVersion> copied = store.seedFrom(seeds);
            if (!copied.isEmpty()) {
                log.info(
                        "Seeded {} from the shipped models in {}: {}",
                        store.location(),
                        seeds.toAbsolutePath(),
                        copied.stream().map(v -> v.name() + "@" + v.version()).toList());
            }
            return true;
        } catch (StoreUnavailableException e) {
            log.warn("Could not seed {} yet: {}", store.location(), e.getMessage());
            return false;
        }
    }
}
