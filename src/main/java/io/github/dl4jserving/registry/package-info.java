/**
 * The models on disk: {@code <models-dir>/<name>/<version>/model.zip} (a DL4J ModelSerializer
 * archive, with its normalizer where one is used) beside {@code model.json}, the descriptor that
 * says what the model takes, what it answers, how good it is and where it came from. The registry
 * loads every version at start-up, keeps going past broken ones and reports them. Its API:
 * {@link io.github.dl4jserving.registry.ModelRegistry} (loaded networks, for inference and
 * training), {@link io.github.dl4jserving.registry.ModelCatalog} (descriptors only, for the web
 * layer), the {@link io.github.dl4jserving.registry.RegistryEvent}s it publishes, and the descriptor
 * types. The store's file layout lives in {@code internal}.
 */
package io.github.dl4jserving.registry;
