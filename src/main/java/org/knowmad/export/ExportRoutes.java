package org.knowmad.export;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.knowmad.course.CourseCatalog;
import org.knowmad.review.ReviewRules;
import org.knowmad.review.ReviewService.Phase;
import org.knowmad.web.Messages;
import org.knowmad.web.Pages;
import org.knowmad.web.Viewer;

/**
 * A person downloads their own work when a course ends: their posts and submissions, with the reviews of their
 * work that {@link ReviewRules#seeReview} lets them read, as Markdown in a ZIP. Only ever the asker's own.
 */
public final class ExportRoutes {

    private final Pool pool;
    private final Clock clock;
    private final CourseCatalog catalog;
    private final ReviewRules reviewRules;
    private final Messages messages;
    private final String site;
    private final ExportStore store = new ExportStore();

    public ExportRoutes(Pool pool, Clock clock, CourseCatalog catalog, ReviewRules reviewRules, Messages messages, String site) {
        this.pool = pool;
        this.clock = clock;
        this.catalog = catalog;
        this.reviewRules = reviewRules;
        this.messages = messages;
        this.site = site;
    }

    public void mount(Router router) {
        router.get("/me/export.zip").handler(this::export);
        router.get("/api/v1/me/export.zip").handler(this::export);
    }

    private void export(RoutingContext ctx) {
        long me = Viewer.of(ctx).accountId();
        String lang = Pages.language(ctx, null);
        Instant now = clock.instant();
        Future<List<ExportStore.Post>> posts = store.posts(pool, me);
        Future<List<ExportStore.Submission>> submissions = store.submissions(pool, me);
        Future<List<ExportStore.CirclePost>> circlePosts = store.circlePosts(pool, me);
        Future.all(posts, submissions, circlePosts).map(done -> {
            List<ExportStore.Submission> readable = submissions.result().stream().map(s -> new ExportStore.Submission(
                    s.courseId(), s.cohortId(), s.moduleId(), s.draft(), s.body(), s.submittedAt(), s.updatedAt(), s.late(), s.gradeDue(),
                    s.points(), s.maxPoints(), s.reviews().stream().filter(r -> reviewRules.seeReview(me, r.reviewerId(), me, true, r.removed(),
                            phase(s, now)).allowed()).toList())).toList();
            return ExportArchive.build(site, now, posts.result(), readable, circlePosts.result(), (key, args) -> messages.get(lang, key, args), this::zone);
        }).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            String day = now.atOffset(ZoneOffset.UTC).toLocalDate().toString();
            ctx.response().putHeader("Content-Type", "application/zip")
                    .putHeader("Content-Disposition", "attachment; filename=\"knowmad-" + day + ".zip\"")
                    .putHeader("Cache-Control", "no-store")
                    .end(Buffer.buffer(ar.result()));
        });
    }

    /** The author's phase as far as their own feedback goes: closed once their review deadline has passed. */
    private static Phase phase(ExportStore.Submission s, Instant now) {
        if (s.submittedAt() == null || s.gradeDue() == null) return Phase.SUBMITTING;
        return now.isBefore(s.gradeDue()) ? Phase.REVIEWING : Phase.CLOSED;
    }

    private ZoneId zone(String courseId) {
        return catalog.course(courseId).map(c -> c.definition().zone()).orElse(ZoneOffset.UTC);
    }
}
