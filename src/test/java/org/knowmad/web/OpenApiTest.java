package org.knowmad.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.TestNode;

/** The API's OpenAPI document, checked against the router: every route documented, every documented route real. */
@ExtendWith(VertxExtension.class)
class OpenApiTest {

    private static TestNode node;

    @BeforeAll
    static void start(Vertx vertx) {
        node = TestNode.demo(vertx, new MutableClock(Fixtures.SPRING_DAY_2));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static JsonObject document() {
        HttpResponse<Buffer> r = node.browser().get("/api/v1/openapi.json");
        assertEquals(200, r.statusCode());
        assertTrue(r.getHeader("Content-Type").startsWith("application/json"), r.getHeader("Content-Type"));
        return r.bodyAsJsonObject();
    }

    /** "METHOD /path" of every API route, with Vert.x's {@code :name} written as OpenAPI's {@code {name}}. */
    private static Set<String> routed() {
        Set<String> found = new TreeSet<>();
        for (Route r : node.app.router().getRoutes()) {
            String path = r.getPath();
            if (path == null || !path.startsWith("/api/v1/")) continue;
            String template = path.replaceAll(":([A-Za-z]+)", "{$1}");
            for (HttpMethod m : r.methods()) found.add(m.name() + " " + template);
        }
        return found;
    }

    private static Set<String> documented(JsonObject doc) {
        Set<String> found = new TreeSet<>();
        JsonObject paths = doc.getJsonObject("paths");
        for (String path : paths.fieldNames()) {
            for (String method : paths.getJsonObject(path).fieldNames()) {
                if (List.of("get", "put", "post", "delete", "patch").contains(method)) found.add(method.toUpperCase() + " /api/v1" + path);
            }
        }
        return found;
    }

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedRouteExists() {
        JsonObject doc = document();
        Set<String> routes = routed();
        Set<String> documented = documented(doc);
        Set<String> undocumented = new TreeSet<>(routes);
        undocumented.removeAll(documented);
        Set<String> invented = new TreeSet<>(documented);
        invented.removeAll(routes);
        assertEquals(Set.of(), undocumented, "routes the document does not describe");
        assertEquals(Set.of(), invented, "documented routes the router does not have");
    }

    @Test
    void itIsAnOpenApi31DocumentWhoseOperationsSayWhatTheyDoAndWhoMayCallThem() {
        JsonObject doc = document();
        assertEquals("3.1.0", doc.getString("openapi"));
        assertEquals("/api/v1", doc.getJsonArray("servers").getJsonObject(0).getString("url"));
        assertTrue(doc.getJsonObject("components").getJsonObject("securitySchemes").containsKey("bearer"));
        JsonObject paths = doc.getJsonObject("paths");
        Set<String> ids = new TreeSet<>();
        for (String path : paths.fieldNames()) {
            for (String method : paths.getJsonObject(path).fieldNames()) {
                JsonObject op = paths.getJsonObject(path).getJsonObject(method);
                String where = method + " " + path;
                assertFalse(op.getString("summary", "").isBlank(), where + ": a summary");
                assertTrue(op.containsKey("responses"), where + ": responses");
                assertTrue(ids.add(op.getString("operationId")), where + ": a unique operationId");
                for (String param : path.split("/")) {
                    if (param.startsWith("{")) {
                        String name = param.substring(1, param.length() - 1);
                        assertTrue(op.getJsonArray("parameters", new io.vertx.core.json.JsonArray()).stream()
                                .map(p -> ((JsonObject) p).getString("name")).anyMatch(name::equals), where + ": parameter " + name);
                    }
                }
            }
        }
    }
}
