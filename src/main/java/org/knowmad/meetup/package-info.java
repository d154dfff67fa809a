/**
 * Seating for the closing meetup's world café: pure logic, no I/O, no clock.
 *
 * <ul>
 *   <li>{@link org.knowmad.meetup.TableAllocator#allocate}: one round; balanced tables (sizes within
 *       one), the most choices balance allows, people overruled before first, then few repeat pairs.</li>
 *   <li>{@link org.knowmad.meetup.TableAllocator#move}: an organiser's change, balance not enforced.</li>
 *   <li>{@link org.knowmad.meetup.Round}: a round's seating and the choices it honoured or overruled,
 *       which the next round reads to be fair.</li>
 * </ul>
 */
package org.knowmad.meetup;
