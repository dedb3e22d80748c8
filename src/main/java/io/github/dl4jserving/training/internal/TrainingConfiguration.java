package io.github.dl4jserving.training.internal;

import io.github.dl4jserving.datasets.DataDirectory;
import io.github.dl4jserving.datasets.DatasetSettings;
import io.github.dl4jserving.datasets.DatasetStore;
import io.github.dl4jserving.platform.LifecyclePhases;
import io.github.dl4jserving.registry.ModelRegistry;
import io.github.dl4jserving.registry.RegistrySettings;
import io.github.dl4jserving.training.TrainingJobs;
import io.github.dl4jserving.training.TrainingSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the job runner over the registry, the data directory and the job store under the models
 * directory. Each trainer is a bean; the catalogue lists them in the order they are declared here.
 */
@Configuration(proxyBeanMethods = false)
class TrainingConfiguration {

    @Bean
    MnistMlpTrainer mnistMlpTrainer() {
        return new MnistMlpTrainer();
    }

    @Bean
    MnistSoftmaxTrainer mnistSoftmaxTrainer() {
        return new MnistSoftmaxTrainer();
    }

    @Bean
    BreastCancerLogRegTrainer breastCancerLogRegTrainer() {
        return new BreastCancerLogRegTrainer();
    }

    @Bean
    SalaryPolyRegTrainer salaryPolyRegTrainer() {
        return new SalaryPolyRegTrainer();
    }

    @Bean
    MnistDcganTrainer mnistDcganTrainer() {
        return new MnistDcganTrainer();
    }

    @Bean
    TrainingMetrics trainingMetrics(MeterRegistry meters) {
        return new TrainingMetrics(meters);
    }

    @Bean
    JobStore jobStore(RegistrySettings registry) {
        return new JobStore(registry.modelsPath());
    }

    @Bean
    DatasetStore datasetStore(RegistrySettings registry, DatasetSettings datasets) {
        return new DatasetStore(
                registry.modelsPath(),
                datasets.maxImageDimension(),
                datasets.maxDatasetPixels(),
                4 * datasets.maxDatasetSize().toBytes());
    }

    @Bean(destroyMethod = "close")
    TrainingJobs trainingJobs(
            List<Trainer> trainers,
            ModelRegistry registry,
            DatasetSettings datasets,
            DatasetStore uploads,
            JobStore store,
            TrainingMetrics metrics,
            TrainingSettings settings) {
        return new TrainingJobs(
                trainers, registry, new DataDirectory(datasets.dataPath()), uploads, store, metrics, settings);
    }

    /** Interrupted jobs are marked or queued again once the models are loaded, before the server opens. */
    @Bean
    SmartLifecycle trainingLifecycle(TrainingJobs jobs) {
        return LifecyclePhases.at(LifecyclePhases.TRAINING, jobs::start);
    }
}
