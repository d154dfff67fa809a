package org.knowmad.cohort;

import io.vertx.core.Future;
import java.util.Map;

/**
 * A part of the module page that another feature contributes (discussions now, the assignment later):
 * it answers extra values for the page's model, so the module page needs no knowledge of the feature.
 */
@FunctionalInterface
public interface ModuleSection {

    Future<Map<String, Object>> model(CohortAccess access, ModuleView module, String lang);
}
