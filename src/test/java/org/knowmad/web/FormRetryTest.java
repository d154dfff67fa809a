package org.knowmad.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which refusals bring a form back filled in, and which keep the plain error page. */
class FormRetryTest {

    @Test
    void aFeaturesFixableRefusalsComeBackOthersDoNot() {
        for (int status : new int[] {400, 409, 422, 429}) assertTrue(FormRetry.fixable(new HttpProblem(status, "cohort.new.badId")), "" + status);
        for (int status : new int[] {401, 403, 404, 410, 413, 500, 503}) assertFalse(FormRetry.fixable(new HttpProblem(status, "cohort.new.badId")), "" + status);
        for (String generic : new String[] {"error.badRequest", "error.badIdempotencyKey", "error.idempotencyRetry", "error.badJson"}) {
            assertFalse(FormRetry.fixable(HttpProblem.badRequest(generic)), generic);
        }
    }

    @Test
    void aProblemNamesItsFieldWithoutLosingTheRest() {
        HttpProblem p = new HttpProblem(409, "cohort.new.taken", "2017-01").at("id");
        assertEquals("id", p.field());
        assertEquals(409, p.status());
        assertEquals("cohort.new.taken", p.key());
        assertEquals("2017-01", p.args()[0]);
        assertNull(HttpProblem.badRequest("x").field());
        assertEquals("title", HttpProblem.invalid("title", "thread.titleRequired").field());
    }
}
