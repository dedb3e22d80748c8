package io.github.dl4jserving.inference;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The inference module's {@code dl4j-serving.*} settings; batching has its own,
 * {@link BatchingSettings}.
 *
 * @param defaultImageModel     the model {@code POST /predict} sends images to
 * @param defaultTabularModel   the model {@code POST /predict} sends table rows to
 * @param defaultGeneratorModel the model {@code GET /generate} draws with
 * @param maxBatch              the most inputs (images, rows, latent vectors) one request may carry
 * @param workersPerModel       deprecated alias of {@code dl4j-serving.batching.workers}, read only when
 *                              that is unset
 * @param maxModelParameters    the most parameters an uploaded network may declare, checked from its
 *                              configuration before its weights are read: 25 million floats are 100 MB
 *                              of native memory per replica, a tenth of the smallest heap the service
 *                              is run with
 */
@ConfigurationProperties("dl4j-serving")
public record InferenceSettings(
        @DefaultValue("mnist-mlp") String defaultImageModel,
        @DefaultValue("breast-cancer-logreg") String defaultTabularModel,
        @DefaultValue("mnist-dcgan") String defaultGeneratorModel,
        @DefaultValue("256") int maxBatch,
        Integer workersPerModel,
        @DefaultValue("25000000") long maxModelParameters) {

    /** The settings every test and tool starts from: the shipped default models, 256 inputs a request. */
    public static InferenceSettings defaults() {
        return new InferenceSettings("mnist-mlp", "breast-cancer-logreg", "mnist-dcgan", 256, null, 25_000_000L);
    }
}
