package org.knowmad.notify;

/**
 * One message to one person.
 *
 * @param dedupeKey when set, a second message with the same key is never queued (e.g. one
 *                  "module opened" notice per person and release)
 */
public record Mail(String to, String subject, String text, String dedupeKey) {
}
