package org.knowmad.cohort;

import io.vertx.core.Future;
import java.util.Map;

/**
 * A part of the cohort home that another feature contributes (the latest announcement's banner): it answers extra
 * values for the page's model, so the cohort page needs no knowledge of the feature. Like {@link ModuleSection}.
 */
@FunctionalInterface
public interface CohortSection {

    Future<Map<String, Object>> model(CohortAccess access, String lang);
}
