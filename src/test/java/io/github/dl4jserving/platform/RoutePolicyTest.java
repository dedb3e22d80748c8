package io.github.dl4jserving.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** The route policy the filters ask, read from the service's own controllers. */
class RoutePolicyTest {
    private final RoutePolicy routes = ServiceRoutes.policy();

    private static MockHttpServletRequest request(String method, String uri, String contentType) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, uri);
        request.setContentType(contentType);
        return request;
    }

    private static MockHttpServletRequest request(String method, String uri) {
        return request(method, uri, null);
    }

    @Test
    void everyControllerMappingIsClassifiedAndTheTableReadsAsTheApiDoes() {
        List<String> table = routes.describe();
        assertThat(table)
                .contains(
                        "POST /predict -> INFERENCE",
                        "POST /predict/{model} -> INFERENCE",
                        "POST /prepare -> INFERENCE",
                        "GET /generate -> INFERENCE",
                        "POST /v2/models/{model}/infer -> INFERENCE",
                        "GET /v2/health/live -> PROBE",
                        "GET /v2/health/ready -> PROBE",
                        "GET /models -> READ",
                        "POST /models/{name}/versions -> CHANGES_STATE",
                        "PUT /models/{name}/default -> CHANGES_STATE",
                        "DELETE /models/{name} -> CHANGES_STATE",
                        "POST /jobs -> CHANGES_STATE trainer",
                        "POST /jobs/{id}/cancel -> CHANGES_STATE trainer",
                        "GET /jobs/{id}/events -> READ trainer events",
                        "GET /trainers -> READ trainer",
                        "POST /datasets -> CHANGES_STATE trainer large-body",
                        "POST /datasets -> CHANGES_STATE trainer",
                        "POST /models/{name}/versions/{version}/load -> CHANGES_STATE",
                        "POST /models/{name}/versions/{version}/unload -> CHANGES_STATE",
                        "POST /v2/repository/models/{model}/load -> CHANGES_STATE",
                        "POST /v2/repository/models/{model}/unload -> CHANGES_STATE",
                        "POST /v2/repository/index -> READ");
        assertThat(table).noneMatch(line -> line.startsWith("GET ") && line.contains("CHANGES_STATE"));
        // Triton's repository index is a POST that only lists, as GET /models does.
        assertThat(table)
                .noneMatch(line -> !line.startsWith("GET ")
                        && line.contains("-> READ")
                        && !line.contains("/error")
                        && !line.contains("/v2/repository/index"));
    }

    @Test
    void requestsFindTheirRouteAsSpringMvcWouldRouteThem() {
        assertThat(routes.isInference(request("POST", "/predict/mnist-mlp"))).isTrue();
        assertThat(routes.isInference(request("POST", "/predict;jsessionid=1")))
                .as("path parameters do not hide a route")
                .isTrue();
        assertThat(routes.isInference(request("POST", "/v2/models/m/versions/2/infer")))
                .isTrue();
        assertThat(routes.isInference(request("GET", "/predict"))).isFalse();
        assertThat(routes.isInference(request("POST", "/predict/a/b"))).isFalse();

        assertThat(routes.changesState(request("POST", "/jobs/compare"))).isTrue();
        assertThat(routes.changesState(request("GET", "/jobs/compare/x"))).isFalse();
        assertThat(routes.changesState(request("HEAD", "/models"))).isFalse();
        assertThat(routes.changesState(request("POST", "/no/such/route")))
                .as("an unknown route with an unsafe method is treated as a change")
                .isTrue();
        assertThat(routes.changesState(request("POST", "/actuator/loggers/root")))
                .isTrue();
        assertThat(routes.changesState(request("GET", "/no/such/route"))).isFalse();

        assertThat(routes.eventStream(request("GET", "/jobs/abc/events"))).isTrue();
        assertThat(routes.eventStream(request("GET", "/jobs/abc"))).isFalse();
        assertThat(routes.trainerOwned(request("GET", "/jobs/abc/samples/3"))).isTrue();
        assertThat(routes.trainerOwned(request("GET", "/models"))).isFalse();

        assertThat(routes.largeBody(request("POST", "/datasets", "text/csv"))).isTrue();
        assertThat(routes.largeBody(request("POST", "/datasets", "application/zip")))
                .isTrue();
        assertThat(routes.largeBody(request("POST", "/datasets", "multipart/form-data; boundary=x")))
                .isFalse();
        assertThat(routes.largeBody(request("POST", "/datasets", "application/octet-stream")))
                .as("a type no upload consumes gets the ordinary limit")
                .isFalse();

        assertThat(routes.openUnderProtectReads(request("GET", "/v2/health/ready")))
                .isTrue();
        assertThat(routes.openUnderProtectReads(request("GET", "/actuator/health/liveness")))
                .isTrue();
        assertThat(routes.openUnderProtectReads(request("GET", "/swagger-ui/index.html")))
                .isTrue();
        assertThat(routes.openUnderProtectReads(request("GET", "/models"))).isFalse();
        assertThat(routes.openUnderProtectReads(request("GET", "/v2/models/m/ready")))
                .isFalse();
    }

    /** A controller whose new endpoint says nothing about who may call it. */
    @RestController
    static class NewController {
        @ReadEndpoint
        @GetMapping("/things")
        String list() {
            return "";
        }

        @PostMapping("/things")
        String add() {
            return "";
        }
    }

    /** A controller whose endpoint claims two kinds of access. */
    @RestController
    @ReadEndpoint
    static class ConfusedController {
        @ChangesState
        @InferenceEndpoint
        @PostMapping("/both")
        String both() {
            return "";
        }
    }

    @Test
    void aMappingWithoutAnAccessMarkerStopsTheServiceAtStartUpWithItsName() {
        assertThatThrownBy(() -> RoutePolicy.of(ServiceRoutes.read(List.of(NewController.class.getName()))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("NewController.add ([POST] [/things])")
                .hasMessageNotContaining("NewController.list");
        assertThatThrownBy(() -> RoutePolicy.of(ServiceRoutes.read(List.of(ConfusedController.class.getName()))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ConfusedController.both")
                .hasMessageContaining("2 markers");
    }
}
