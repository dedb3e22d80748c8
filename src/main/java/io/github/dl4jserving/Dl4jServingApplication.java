package io.github.dl4jserving;

import io.github.dl4jserving.platform.NativeBackend;
import io.github.dl4jserving.training.TrainCommand;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Starts the model server, or with {@code train <model> ...} trains one model from the command line
 * and exits without starting it.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class Dl4jServingApplication {

    public static void main(String[] args) throws Exception {
        NativeBackend.configure();
        if (args.length > 0 && args[0].equals("train")) {
            System.exit(TrainCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        SpringApplication.run(Dl4jServingApplication.class, args);
    }
}
