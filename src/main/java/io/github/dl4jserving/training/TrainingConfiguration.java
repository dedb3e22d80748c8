package io.github.dl4jserving.training;

import java.nio.file.Path;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.micrometer.core.instrument.MeterRegistry;

import io.github.dl4jserving.datasets.DataDirectory;
import io.github.dl4jserving.datasets.DatasetStore;
import io.github.dl4jserving.platform.ServingProperties;
import io.github.dl4jserving.registry.ModelRegistry;

/** Wires the job runner over the registry, the data directory and the job store under the models directory. */
@Configuration(proxyBeanMethods = false)
class TrainingConfiguration {

    @Bean
    TrainingMetrics trainingMetrics(MeterRegistry meters) {
        return new TrainingMetrics(meters);
    }

    @Bean
    JobStore jobStore(ServingProperties properties) {
        return new JobStore(properties.modelsPath());
    }

    @Bean
    DatasetStore datasetStore(ServingProperties properties) {
        return new DatasetStore(properties.modelsPath(), properties.maxImageDimension(),
                4 * properties.maxDatasetSize().toBytes());
    }

    @Bean(destroyMethod = "close")
    TrainingJobs trainingJobs(ModelRegistry registry, ServingProperties properties, DatasetStore datasets,
            JobStore store, TrainingMetrics metrics, TrainingSettings settings) {
        return new TrainingJobs(TrainCommand.TRAINERS, registry, new DataDirectory(Path.of(properties.dataDir())),
                datasets, store, metrics, settings);
    }
}
