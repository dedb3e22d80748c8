package io.github.dl4jserving.platform;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Sets Tomcat's upload timeout to {@code dl4j-serving.body-read-timeout}: while a request body is
 * read, a connection that sends nothing for that long is ended (the read fails, and the inference
 * filter answers 408). Without it the connection timeout of 60 s applied between bytes, and a
 * sender of one byte a minute held its thread for as long as it liked.
 */
@Component
class TomcatUploadTimeout implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {
    private final PlatformSettings settings;

    TomcatUploadTimeout(PlatformSettings settings) {
        this.settings = settings;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addConnectorCustomizers(connector -> {
            connector.setProperty("disableUploadTimeout", "false");
            connector.setProperty(
                    "connectionUploadTimeout",
                    Long.toString(settings.bodyReadTimeout().toMillis()));
        });
    }
}
