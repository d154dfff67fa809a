package org.knowmad.notify;

import com.rometools.rome.feed.synd.SyndContent;
import com.rometools.rome.feed.synd.SyndContentImpl;
import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndEntryImpl;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.feed.synd.SyndFeedImpl;
import com.rometools.rome.io.FeedException;
import com.rometools.rome.io.SyndFeedOutput;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.knowmad.cohort.CohortService;

/** A cohort's Atom feed: module openings (later also featured threads and the meetup harvest). */
public final class FeedRoutes {

    private static final String ENTRIES = """
            SELECT id, kind, title, path, summary, published_at FROM feed_entry
            WHERE course_id = $1 AND cohort_id = $2 ORDER BY published_at DESC, id DESC LIMIT 50""";

    private final Pool pool;
    private final CohortService cohorts;
    private final String baseUrl;

    public FeedRoutes(Pool pool, CohortService cohorts, String baseUrl) {
        this.pool = pool;
        this.cohorts = cohorts;
        this.baseUrl = baseUrl;
    }

    public void mount(Router router) {
        router.get("/courses/:course/:cohort/feed.atom").handler(this::atom);
    }

    private void atom(RoutingContext ctx) {
        String courseId = ctx.pathParam("course");
        String cohortId = ctx.pathParam("cohort");
        cohorts.access(org.knowmad.web.Viewer.of(ctx), courseId, cohortId)
                .compose(access -> pool.preparedQuery(ENTRIES).execute(Tuple.of(courseId, cohortId)).map(rows -> {
                    var ref = access.ref();
                    SyndFeed feed = new SyndFeedImpl();
                    feed.setFeedType("atom_1.0");
                    feed.setTitle(ref.course().definition().title() + " · " + cohortId);
                    feed.setLink(baseUrl + ref.path());
                    feed.setUri(baseUrl + ref.path() + "/feed.atom");
                    feed.setDescription(ref.course().definition().title());
                    List<SyndEntry> entries = new ArrayList<>();
                    Date updated = new Date(0);
                    for (Row r : rows) {
                        if (!cohorts.rules().seeFeedEntry(access, r.getString("kind"))) continue;
                        SyndEntry e = new SyndEntryImpl();
                        e.setUri("urn:knowmad:feed:" + courseId + ":" + cohortId + ":" + r.getLong("id"));
                        e.setTitle(r.getString("title"));
                        e.setLink(baseUrl + r.getString("path"));
                        Date published = Date.from(r.getOffsetDateTime("published_at").toInstant());
                        e.setPublishedDate(published);
                        e.setUpdatedDate(published);
                        if (published.after(updated)) updated = published;
                        SyndContent summary = new SyndContentImpl();
                        summary.setType("text/plain");
                        summary.setValue(r.getString("summary"));
                        e.setDescription(summary);
                        entries.add(e);
                    }
                    feed.setEntries(entries);
                    feed.setPublishedDate(updated);
                    try {
                        return new SyndFeedOutput().outputString(feed);
                    } catch (FeedException ex) {
                        throw new IllegalStateException(ex);
                    }
                }))
                .onComplete(ar -> {
                    if (ar.failed()) ctx.fail(ar.cause());
                    // What a member's feed holds is theirs: no shared cache may keep it.
                    else ctx.response().putHeader("Content-Type", "application/atom+xml; charset=utf-8")
                            .putHeader("Cache-Control", "private, no-store").end(ar.result());
                });
    }
}
