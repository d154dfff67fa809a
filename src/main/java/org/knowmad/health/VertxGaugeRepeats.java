package org.knowmad.health;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Silences Micrometer's "This Gauge has been already registered" warning for Vert.x's own gauges, and only those.
 *
 * <p>Why: Vert.x Micrometer registers its connection gauges (e.g. {@code vertx.net.client.active.connections}) again
 * for every new connection and keeps one shared counter per gauge, so the values are right; Micrometer (since 1.13.9)
 * warns at the first repeat, so every start printed the warning as soon as the database pool opened its second
 * connection (vertx-micrometer-metrics#259, micrometer#6931, both open). A repeat of one of our own
 * {@code knowmad.*} gauges would be a real mistake and still warns.
 */
public final class VertxGaugeRepeats extends TurboFilter {

    static final String LOGGER = "io.micrometer.core.instrument.MeterRegistry";

    /** Adds the filter to the logging of this JVM, once. */
    public static void install() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) return;
        if (context.getTurboFilterList().stream().anyMatch(f -> f instanceof VertxGaugeRepeats)) return;
        VertxGaugeRepeats filter = new VertxGaugeRepeats();
        filter.setContext(context);
        filter.start();
        context.addTurboFilter(filter);
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        return format != null && LOGGER.equals(logger.getName()) && isVertxRepeat(format) ? FilterReply.DENY : FilterReply.NEUTRAL;
    }

    static boolean isVertxRepeat(String message) {
        return message.contains("has been already registered") && message.contains("MeterId{name='vertx.");
    }
}
