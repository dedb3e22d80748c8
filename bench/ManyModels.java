import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Writes {@code count} copies of a ModelSerializer archive, each with weights of its own: the
 * shipped network's parameters plus Gaussian noise of a tenth of their spread, seeded by the copy's
 * number, so that no two copies share a byte of their coefficients. bench/many-models.sh uploads them.
 *
 * <p>Run on the project's classpath: {@code java -cp "target/classes:$(cat target/classpath.txt)"
 * bench/ManyModels.java SOURCE.zip OUT-DIR COUNT}.
 */
public final class ManyModels {
    public static void main(String[] args) throws Exception {
        File source = new File(args[0]);
        Path out = Files.createDirectories(Path.of(args[1]));
        int count = Integer.parseInt(args[2]);
        MultiLayerNetwork original = ModelSerializer.restoreMultiLayerNetwork(source, false);
        double spread = original.params().stdNumber().doubleValue() / 10;
        for (int i = 0; i < count; i++) {
            MultiLayerNetwork copy = original.clone();
            Nd4j.getRandom().setSeed(new Random(i).nextLong());
            copy.params().addi(Nd4j.randn(copy.params().dataType(), copy.params().shape()).muli(spread));
            ModelSerializer.writeModel(copy, out.resolve(String.format("m%03d.zip", i)).toFile(), false);
            copy.close();
        }
        System.out.println("wrote " + count + " archives of " + original.numParams() + " parameters to " + out);
    }
}
