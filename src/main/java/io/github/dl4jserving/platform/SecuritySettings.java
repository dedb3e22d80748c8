package io.github.dl4jserving.platform;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code dl4j-serving.security.*}: who may change state.
 *
 * @param apiKey       the key that requests changing state must carry, as {@code Authorization:
 *                     Bearer <key>} or {@code X-API-Key: <key>} ({@code DL4J_SERVING_SECURITY_API_KEY});
 *                     without one, such requests are accepted from the loopback address only
 * @param protectReads when true, inference and read-only endpoints need the key too
 */
@ConfigurationProperties("dl4j-serving.security")
public record SecuritySettings(
        String apiKey, @DefaultValue("false") boolean protectReads) {

    public boolean keyConfigured() {
        return apiKey != null && !apiKey.isBlank();
    }

    @Override
    public String toString() {
        return "SecuritySettings[apiKey=" + (keyConfigured() ? "(set)" : "(none)") + ", protectReads=" + protectReads
                + "]";
    }
}
