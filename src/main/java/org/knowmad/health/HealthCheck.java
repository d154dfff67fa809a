package org.knowmad.health;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * One dependency {@code /health} reports on. Adding another (SMTP, a search server) is one line in App:
 * {@code health.add(HealthCheck.of("smtp", false, mail::health))}.
 */
public interface HealthCheck {

    /** Its key in {@code /health}'s JSON and in the {@code knowmad_<name>_up} gauge. */
    String name();

    /** Whether this dependency being down makes the node unhealthy: {@code /health} then answers 503. */
    boolean critical();

    /**
     * {@code {"status": "up" | "down", ...details}}. A failed future, or one that takes longer than
     * {@link Health#CHECK_TIMEOUT_MILLIS}, counts as down. Details must not reveal secrets: the answer is public.
     */
    Future<JsonObject> check();

    static HealthCheck of(String name, boolean critical, Supplier<Future<JsonObject>> check) {
        return new HealthCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean critical() {
                return critical;
            }

            @Override
            public Future<JsonObject> check() {
                return check.get();
            }
        };
    }

    static JsonObject up() {
        return new JsonObject().put("status", "up");
    }

    static JsonObject down() {
        return new JsonObject().put("status", "down");
    }
}
