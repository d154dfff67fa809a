package org.knowmad.web;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Who may read {@code /metrics}: with {@code METRICS_TOKEN} set, whoever sends
 * {@code Authorization: Bearer <token>}; without it, only this machine (a scraper beside the server). The
 * numbers name routes, pools and load, which tell an attacker when and where to push.
 */
public final class MetricsAccess implements Handler<RoutingContext> {

    private final String token;

    public MetricsAccess(String token) {
        this.token = token == null || token.isBlank() ? null : token;
    }

    @Override
    public void handle(RoutingContext ctx) {
        boolean allowed;
        if (token == null) {
            allowed = Peers.isLoopback(ctx.request().connection().remoteAddress());
        } else {
            String auth = ctx.request().getHeader("Authorization");
            String sent = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
            allowed = sent != null && Signer.constantTimeEquals(token, sent);
        }
        if (allowed) {
            ctx.next();
            return;
        }
        // Plain and short: this runs before the session and body handlers, so no page is rendered here.
        ctx.response().setStatusCode(token == null ? 403 : 401)
                .putHeader("Content-Type", "text/plain; charset=utf-8")
                .putHeader("Cache-Control", "no-store");
        if (token != null) ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"metrics\"");
        ctx.response().end(token == null
                ? "Metrics answer only this machine. Set METRICS_TOKEN to read them from elsewhere.\n"
                : "Send Authorization: Bearer <METRICS_TOKEN>.\n");
    }
}
