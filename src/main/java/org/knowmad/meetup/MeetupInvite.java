package org.knowmad.meetup;

import biweekly.Biweekly;
import biweekly.ICalendar;
import biweekly.component.DaylightSavingsTime;
import biweekly.component.Observance;
import biweekly.component.StandardTime;
import biweekly.component.VEvent;
import biweekly.component.VTimezone;
import biweekly.io.TimezoneAssignment;
import biweekly.parameter.ParticipationStatus;
import biweekly.parameter.Role;
import biweekly.property.Attendee;
import biweekly.property.Method;
import biweekly.property.Organizer;
import biweekly.util.DateTimeComponents;
import biweekly.util.UtcOffset;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Date;
import java.util.TimeZone;

/**
 * The RFC 5545 invitation to a meetup: one event in the course's time zone (with its VTIMEZONE, so calendars
 * that do not know the zone still show the right local time), the venue and the online link.
 */
public final class MeetupInvite {

    private MeetupInvite() {
    }

    /** What the invitation says. */
    public record Details(String uid, String title, Instant starts, Instant ends, ZoneId zone, String venue, String onlineUrl,
                          String pageUrl, String description, String organiserEmail, String organiserName, String attendeeEmail,
                          boolean cancelled) {
    }

    public static String ics(Details d) {
        ICalendar ical = new ICalendar();
        ical.setProductId("-//Knowmad//Knowmad//EN");
        ical.setMethod(d.cancelled() ? Method.cancel() : Method.request());
        VEvent event = new VEvent();
        event.setUid(d.uid());
        event.setSummary(d.title());
        event.setDateStart(Date.from(d.starts()));
        if (d.ends() != null && d.ends().isAfter(d.starts())) event.setDateEnd(Date.from(d.ends()));
        if (d.venue() != null) event.setLocation(d.venue());
        event.setUrl(d.onlineUrl() != null ? d.onlineUrl() : d.pageUrl());
        event.setDescription(d.description());
        event.setSequence(0);
        if (d.cancelled()) event.setStatus(biweekly.property.Status.cancelled());
        if (d.organiserEmail() != null) event.setOrganizer(new Organizer(d.organiserName(), d.organiserEmail()));
        if (d.attendeeEmail() != null) {
            Attendee attendee = new Attendee(null, d.attendeeEmail());
            attendee.setRole(Role.ATTENDEE);
            attendee.setParticipationStatus(ParticipationStatus.ACCEPTED);
            event.addAttendee(attendee);
        }
        ical.addEvent(event);
        ical.getTimezoneInfo().setDefaultTimezone(new TimezoneAssignment(TimeZone.getTimeZone(d.zone()), timezone(d.zone(), d.starts())));
        return Biweekly.write(ical).go();
    }

    /** A VTIMEZONE with the zone's transitions around the meetup (enough for that one event). */
    static VTimezone timezone(ZoneId zone, Instant at) {
        VTimezone vtz = new VTimezone(zone.getId());
        ZoneRules rules = zone.getRules();
        ZoneOffsetTransition previous = rules.previousTransition(at.plusSeconds(1));
        ZoneOffsetTransition next = rules.nextTransition(at);
        if (previous == null && next == null) {
            StandardTime standard = new StandardTime();
            standard.setDateStart(new DateTimeComponents(1970, 1, 1, 0, 0, 0, false));
            UtcOffset offset = UtcOffset.parse(rules.getOffset(at).getId().replace("Z", "+00:00"));
            standard.setTimezoneOffsetFrom(offset);
            standard.setTimezoneOffsetTo(offset);
            vtz.addStandardTime(standard);
            return vtz;
        }
        for (ZoneOffsetTransition t : new ZoneOffsetTransition[] {previous, next}) {
            if (t == null) continue;
            boolean daylight = rules.isDaylightSavings(t.getInstant());
            Observance observance = daylight ? new DaylightSavingsTime() : new StandardTime();
            LocalDateTime local = t.getDateTimeBefore();
            observance.setDateStart(new DateTimeComponents(local.getYear(), local.getMonthValue(), local.getDayOfMonth(),
                    local.getHour(), local.getMinute(), local.getSecond(), false));
            observance.setTimezoneOffsetFrom(UtcOffset.parse(t.getOffsetBefore().getId().replace("Z", "+00:00")));
            observance.setTimezoneOffsetTo(UtcOffset.parse(t.getOffsetAfter().getId().replace("Z", "+00:00")));
            if (daylight) vtz.addDaylightSavingsTime((DaylightSavingsTime) observance);
            else vtz.addStandardTime((StandardTime) observance);
        }
        return vtz;
    }
}
