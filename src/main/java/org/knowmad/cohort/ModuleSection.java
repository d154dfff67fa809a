package org.knowmad.cohort;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.util.Map;

/**
 * A part of the module page that another feature contributes (discussions now, the assignment later):
 * it answers extra values for the page's model, so the module page needs no knowledge of the feature.
 */
@FunctionalInterface
public interface ModuleSection {

    /** @param query the page's query string (a section may offer its own views of itself, e.g. a list's order) */
    Future<Map<String, Object>> model(CohortAccess access, ModuleView module, String lang, MultiMap query);
}
