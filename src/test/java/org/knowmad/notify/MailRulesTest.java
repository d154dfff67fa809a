package org.knowmad.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every kind of mail against every choice a person can make. */
class MailRulesTest {

    @Test
    void eachKindAgainstEachChoice() {
        for (String mode : List.of("immediate", "daily", "weekly", "off")) {
            assertEquals(true, MailRules.mailNow(MailRules.Kind.TRANSACTIONAL, mode), mode);
            assertEquals(!mode.equals("off"), MailRules.mailNow(MailRules.Kind.NEWS, mode), mode);
            assertEquals(mode.equals("immediate"), MailRules.mailNow(MailRules.Kind.NOTIFICATION, mode), mode);
            // A flag or a reported review does not wait for a digest; only "never" stops it.
            assertEquals(!mode.equals("off"), MailRules.mailNow(MailRules.Kind.MODERATION, mode), mode);
        }
    }
}
