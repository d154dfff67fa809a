/**
 * When things happen: pure time logic, no I/O, every "now" passed in (from the injected Clock).
 *
 * <ul>
 *   <li>{@link org.knowmad.schedule.When}: a course file's moment, an offset ({@code P14D}) or a local
 *       date-time. Offsets are wall-clock: {@code P7D} after Monday 09:00 is Monday 09:00 local, and
 *       {@code PT24H} is {@code P1D}. A skipped local time (spring) resolves to the moment the clocks
 *       jump; a doubled one (autumn) to its first occurrence. Both keep later local times at later or
 *       equal instants, so deadlines never swap order.</li>
 *   <li>{@link org.knowmad.schedule.CohortSchedule}: one cohort of one course. Offsets count from
 *       {@code cohort.starts}, or in a self-paced cohort from the participant's join time read on the
 *       course zone's wall clock; fixed date-times are the same for everyone. A self-paced cohort has
 *       a meetup only when its start is a fixed date-time. A meetup's {@code duration} is elapsed time.</li>
 *   <li>{@link org.knowmad.schedule.Timetable}: the resolved events for one viewer, with the questions
 *       pages and the release job ask: open at now? what next? which releases are due?</li>
 *   <li>{@link org.knowmad.schedule.HumanTime}: the same instants worded for people (English, Dutch).</li>
 * </ul>
 */
package org.knowmad.schedule;
