package io.github.dl4jserving.inference;

import io.github.dl4jserving.platform.ServiceException;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A model version answered NaN or infinity: a fault of the model (a diverged training, an uploaded
 * network with broken weights) or an input far outside what it was trained on, never an answer.
 */
public class NonFiniteOutputException extends ServiceException {
    private final String model;
    private final int version;

    public NonFiniteOutputException(String model, int version) {
        super(
                HttpStatus.INTERNAL_SERVER_ERROR,
                "Model answered NaN",
                "Version " + version + " of '" + model + "' computed NaN or an infinite value for this input, "
                        + "so there is no answer to give. If every input does this, the version is broken "
                        + "(a training that diverged, or damaged weights): set another version as the default "
                        + "or delete this one. Otherwise the input is far outside the range the model was trained on.");
        this.model = model;
        this.version = version;
    }

    public String model() {
        return model;
    }

    public int version() {
        return version;
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of("model", model, "version", version);
    }
}
