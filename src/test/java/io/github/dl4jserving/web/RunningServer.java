package io.github.dl4jserving.web;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;

/** A test against the application on a random port, with a plain HTTP client to it. */
abstract class RunningServer {
    @LocalServerPort
    int port;

    HttpTestClient client;

    @BeforeEach
    void connect() {
        client = new HttpTestClient(port);
    }
}
