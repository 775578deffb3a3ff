package dev.sfd.sampler;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.sfd.stack.LocalStackTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Boots the service against the real local stack and asks its readiness endpoint. */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class SamplerServiceHealthTest {

    @Test
    void reportsReadyWithItsDependenciesUp() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("Kafka connection health check"))
                .body("checks.find { it.name == 'object store' }.status", equalTo("UP"));
    }
}
