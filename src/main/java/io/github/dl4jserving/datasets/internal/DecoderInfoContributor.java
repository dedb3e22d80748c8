package io.github.dl4jserving.datasets.internal;

import java.util.Map;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.stereotype.Component;

/** Adds {@code imageDecoder.jpeg} to {@code /actuator/info}: libjpeg-turbo, or ImageIO and why. */
@Component
class DecoderInfoContributor implements InfoContributor {
    @Override
    public void contribute(Info.Builder builder) {
        builder.withDetail("imageDecoder", Map.of("jpeg", ImageDecoder.jpegDecoder()));
    }
}
