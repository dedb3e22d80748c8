package io.github.dl4jserving.training;

import io.github.dl4jserving.datasets.DatasetInfo;
import io.github.dl4jserving.datasets.DatasetNotFoundException;
import io.github.dl4jserving.datasets.DatasetStore;
import io.github.dl4jserving.registry.ModelName;
import io.github.dl4jserving.training.internal.Trainer;

/** The data set a job reads: one of its trainer's built-in data sets, or an uploaded one ({@code upload}). */
record DatasetChoice(String name, DatasetInfo upload) {

    /**
     * Checks a request's data set against the trainer: a built-in name, or the id of an uploaded
     * data set of a kind it accepts, in which case the job must {@code name} the model it writes.
     */
    static DatasetChoice resolve(Trainer trainer, String dataset, String name, DatasetStore uploads) {
        String model = trainer.modelName();
        String ds = dataset == null ? trainer.datasets().get(0) : dataset;
        DatasetInfo upload = null;
        if (!trainer.datasets().contains(ds)) {
            try {
                upload = uploads.get(ds);
            } catch (DatasetNotFoundException e) {
                throw new InvalidHyperparameterException(
                        "dataset",
                        model + " trains on " + trainer.datasets()
                                + (trainer.uploadKinds().isEmpty()
                                        ? ""
                                        : " or an uploaded data set of kind " + trainer.uploadKinds())
                                + "; there is no data set '" + shorten(ds) + "'.");
            }
            if (!trainer.uploadKinds().contains(upload.kind())) {
                throw new InvalidHyperparameterException(
                        "dataset",
                        "Data set " + ds + " is " + upload.kind() + "; "
                                + model + " trains on "
                                + (trainer.uploadKinds().isEmpty() ? "built-in data only" : trainer.uploadKinds())
                                + ".");
            }
            if (name == null) {
                throw new InvalidHyperparameterException(
                        "name",
                        "Name the model this job writes (\"name\": "
                                + "\"my-model\"): a model trained on an uploaded data set has its own inputs and labels.");
            }
        }
        if (name != null && (!ModelName.isValid(name) || name.length() > 64)) {
            throw new InvalidHyperparameterException("name", ModelName.RULE);
        }
        return new DatasetChoice(ds, upload);
    }

    private static String shorten(String s) {
        return s == null ? "" : s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
