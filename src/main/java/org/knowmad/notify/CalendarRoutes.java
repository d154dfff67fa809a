package org.knowmad.notify;

import biweekly.Biweekly;
import biweekly.ICalendar;
import biweekly.component.VEvent;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Date;
import java.util.List;
import org.knowmad.cohort.CohortAccess;
import org.knowmad.cohort.CohortService;
import org.knowmad.course.CourseDefinition;
import org.knowmad.course.MeetupDefinition;
import org.knowmad.schedule.CohortSchedule;
import org.knowmad.schedule.Event;
import org.knowmad.schedule.Timetable;
import org.knowmad.web.Messages;
import org.knowmad.web.Pages;
import org.knowmad.web.Viewer;

/**
 * A cohort's iCalendar feed: module openings, assignment deadlines and the meetup. Participants of a
 * self-paced cohort who are signed in get their own dates; everyone else the dates all share.
 */
public final class CalendarRoutes {

    private final CohortService cohorts;
    private final Messages messages;
    private final String baseUrl;

    public CalendarRoutes(CohortService cohorts, Messages messages, String baseUrl) {
        this.cohorts = cohorts;
        this.messages = messages;
        this.baseUrl = baseUrl;
    }

    public void mount(Router router) {
        router.get("/courses/:course/:cohort/calendar.ics").handler(this::calendar);
    }

    private void calendar(RoutingContext ctx) {
        cohorts.access(Viewer.of(ctx), ctx.pathParam("course"), ctx.pathParam("cohort")).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            CohortAccess access = ar.result();
            String lang = Pages.language(ctx, access.ref().course().definition().language());
            ctx.response().putHeader("Content-Type", "text/calendar; charset=utf-8")
                    .putHeader("Content-Disposition", "inline; filename=\"" + access.ref().courseId() + "-" + access.ref().cohortId() + ".ics\"")
                    .end(Biweekly.write(calendar(access, lang)).go());
        });
    }

    ICalendar calendar(CohortAccess access, String lang) {
        CourseDefinition course = access.ref().course().definition();
        CohortSchedule schedule = CohortSchedule.of(course, access.ref().cohort());
        Timetable timetable = access.joinedAt() != null || !access.ref().cohort().selfPaced()
                ? schedule.forParticipant(access.joinedAt())
                : schedule.shared();
        ICalendar ical = new ICalendar();
        ical.setProductId("-//Knowmad//Knowmad//EN");
        List<Event> events = timetable.events();
        String cohortUrl = baseUrl + access.ref().path();
        for (Event e : events) {
            if (e.kind() == Event.Kind.MEETUP_ENDS) continue; // the meetup is one event from start to end
            VEvent v = new VEvent();
            v.setUid(access.ref().courseId() + "/" + access.ref().cohortId() + "/" + e.kind().name().toLowerCase()
                    + (e.moduleId() == null ? "" : "/" + e.moduleId()) + "@knowmad");
            v.setDateStart(Date.from(e.at()));
            String title = e.moduleId() == null ? null : course.module(e.moduleId()).map(m -> m.title()).orElse(e.moduleId());
            switch (e.kind()) {
                case MODULE_OPENS -> {
                    v.setSummary(messages.get(lang, "calendar.opens", title));
                    v.setUrl(cohortUrl + "/modules/" + e.moduleId());
                }
                case SUBMIT_BY -> {
                    v.setSummary(messages.get(lang, "calendar.submitBy", title));
                    v.setUrl(cohortUrl + "/modules/" + e.moduleId());
                }
                case REVIEW_BY -> {
                    v.setSummary(messages.get(lang, "calendar.reviewBy", title));
                    v.setUrl(cohortUrl + "/modules/" + e.moduleId());
                }
                case MEETUP_STARTS -> {
                    MeetupDefinition meetup = course.meetup();
                    v.setSummary(meetup != null && meetup.title() != null ? meetup.title() : messages.get(lang, "calendar.meetup"));
                    timetable.meetupEnds().filter(end -> end.isAfter(e.at())).ifPresent(end -> v.setDateEnd(Date.from(end)));
                    String venue = access.ref().cohort().meetup() != null && access.ref().cohort().meetup().venue() != null
                            ? access.ref().cohort().meetup().venue() : meetup == null ? null : meetup.venue();
                    if (venue != null) v.setLocation(venue);
                    // The call's link is for members, like the meetup page that shows it; the public calendar gets the cohort page.
                    String online = meetup == null || !cohorts.rules().seeMeetupLink(access) ? null : meetup.onlineUrl();
                    v.setUrl(online != null ? online : cohortUrl);
                }
                default -> {
                }
            }
            ical.addEvent(v);
        }
        return ical;
    }

}
