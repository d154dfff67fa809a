package org.knowmad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docker/: no start without a SECRET, and nothing is sent traffic before it is healthy (no Docker engine needed). */
class DockerComposeTest {

    private static final Path DOCKER = Path.of("docker");

    @Test
    void composeRefusesToStartWithoutASecret() throws Exception {
        JsonNode services = compose().get("services");
        for (String node : new String[] {"app1", "app2"}) {
            String secret = services.get(node).get("environment").get("SECRET").asText();
            assertTrue(secret.matches("\\$\\{SECRET:\\?[^}$]+}"), node + " SECRET must be required with a message: " + secret);
        }
    }

    @Test
    void everyServiceWaitsForItsDependenciesToBeHealthy() throws Exception {
        JsonNode services = compose().get("services");
        assertTrue(services.get("db").get("healthcheck").get("test").toString().contains("pg_isready"));
        for (String node : new String[] {"app1", "app2"}) {
            assertEquals("service_healthy", services.get(node).get("depends_on").get("db").get("condition").asText(), node);
        }
        for (String node : new String[] {"app1", "app2"}) {
            assertEquals("service_healthy", services.get("lb").get("depends_on").get(node).get("condition").asText(), "lb waits for " + node);
        }
        assertTrue(services.get("lb").has("healthcheck"));
    }

    @Test
    void theImageChecksItsOwnHealthWithAToolItInstalls() throws Exception {
        String dockerfile = Files.readString(DOCKER.resolve("Dockerfile"));
        String runtime = dockerfile.substring(dockerfile.indexOf("FROM eclipse-temurin"));
        assertTrue(runtime.contains("install -y --no-install-recommends curl"), "curl in the runtime image");
        assertTrue(runtime.matches("(?s).*HEALTHCHECK .*CMD curl -fsS [^\\n]*/health.*"), "HEALTHCHECK on /health");
    }

    /** Read the way Compose reads it: anchors and merge keys ({@code <<: *app}) resolved (SnakeYAML; Jackson keeps them). */
    private static JsonNode compose() throws Exception {
        Object yaml = new org.yaml.snakeyaml.Yaml().load(Files.readString(DOCKER.resolve("compose.yaml")));
        return new ObjectMapper().valueToTree(yaml);
    }
}
