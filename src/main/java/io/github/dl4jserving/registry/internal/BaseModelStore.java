package io.github.dl4jserving.registry.internal;

import io.github.dl4jserving.registry.ModelConflictException;
import io.github.dl4jserving.registry.ModelName;
import java.util.Optional;

/** What every store shares: single-model mode and read-only mode. */
abstract class BaseModelStore implements ModelStore {
    /** The one model whose versions lie directly in the store's root, or null. */
    protected final String singleModel;

    private final boolean readOnly;

    protected BaseModelStore(String singleModel, boolean readOnly) {
        if (singleModel != null && !ModelName.isValid(singleModel)) {
            throw new IllegalArgumentException("dl4j-serving.registry.model-name is not a valid model name: "
                    + "lower-case letters, digits and '-', at most 64");
        }
        this.singleModel = singleModel;
        this.readOnly = readOnly;
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public Optional<String> singleModel() {
        return Optional.ofNullable(singleModel);
    }

    /** " (single model 'x')" in single-model mode, else nothing: for {@link #location()}. */
    protected String modeSuffix() {
        return singleModel == null ? "" : " (single model '" + singleModel + "')";
    }

    /** Whether {@code name} may be stored here: a valid name, and the one model in single-model mode. */
    protected boolean holds(String name) {
        return ModelName.isValid(name) && (singleModel == null || singleModel.equals(name));
    }

    /** Refuses {@code what} with 409 when the store is read-only. */
    protected void checkWritable(String what) {
        if (readOnly) {
            throw new ModelConflictException("The model store is read-only (dl4j-serving.registry.read-only=true): "
                    + "cannot " + what + ". Write to the repository this replica serves from instead.");
        }
    }
}
