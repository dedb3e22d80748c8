package io.github.dl4jserving.training.internal;

import io.github.dl4jserving.training.Hyperparameter;
import io.github.dl4jserving.training.InvalidHyperparameterException;
import java.util.List;
import org.nd4j.linalg.learning.config.AMSGrad;
import org.nd4j.linalg.learning.config.AdaDelta;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.AdaMax;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * The optimizer names the jobs API accepts, mapped to DL4J updaters. DL4J 1.0.0-M2.1 has no
 * heavy-ball momentum updater: {@code momentum} and {@code nesterov} both map to {@link Nesterovs}
 * (momentum 0.9), which is Nesterov's accelerated gradient. {@code adadelta} has no learning rate;
 * the rate (and its schedule) is ignored for it. {@code adam} is DL4J's Adam computed by {@link
 * FusedAdam}'s loop, and stored as DL4J's.
 */
public final class Optimizers {
    public static final List<String> NAMES = List.of(
            "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam", "adamax", "nadam", "amsgrad");

    private Optimizers() {}

    public static IUpdater updater(String name, ISchedule learningRate) {
        return switch (name) {
            case "sgd" -> new Sgd(learningRate);
            case "momentum", "nesterov" -> new Nesterovs(learningRate, 0.9);
            case "adagrad" -> new AdaGrad(learningRate, 1e-6);
            case "rmsprop" -> new RmsProp(learningRate);
            case "adadelta" -> new AdaDelta();
            case "adam" -> new FusedAdam(learningRate);
            case "adamax" -> new AdaMax(learningRate);
            case "nadam" -> new Nadam(learningRate);
            case "amsgrad" -> new AMSGrad(learningRate);
            default ->
                throw new InvalidHyperparameterException(
                        "hyperparameters.optimizer", "optimizer must be one of " + NAMES + ", not '" + name + "'.");
        };
    }

    static Hyperparameter hyperparameter(String defaultName) {
        return Hyperparameter.choice(
                "optimizer",
                defaultName,
                NAMES,
                "DL4J updater; momentum and nesterov are both Nesterovs (0.9), the only momentum updater in DL4J");
    }
}
