package io.github.dl4jserving.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jserving.ModuleBeans;
import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.util.unit.DataSize;

/**
 * The platform module, which depends on no other, starts alone: its settings bound with their
 * defaults, its filters in their declared order, and a route policy that has nothing to classify.
 */
@ApplicationModuleTest
@ActiveProfiles("module")
class PlatformModuleTest {
    private final ApplicationContext context;
    private final PlatformSettings settings;
    private final RoutePolicy routes;

    PlatformModuleTest(ApplicationContext context, PlatformSettings settings, RoutePolicy routes) {
        this.context = context;
        this.settings = settings;
        this.routes = routes;
    }

    @Test
    void startsAloneWithItsSettingsFiltersAndRoutes() {
        assertThat(ModuleBeans.modules(context)).containsExactly("platform");
        assertThat(settings.maxBodySize()).isEqualTo(DataSize.ofMegabytes(10));
        assertThat(context.getBeansOfType(ApiKeyFilter.class)).hasSize(1);
        assertThat(context.getBeansOfType(InferenceConcurrencyLimit.class)).hasSize(1);
        assertThat(routes.isInference(new MockHttpServletRequest("POST", "/predict")))
                .as("no module with handlers is started, so no route is an inference route")
                .isFalse();
    }
}
