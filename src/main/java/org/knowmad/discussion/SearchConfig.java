package org.knowmad.discussion;

import java.util.Locale;
import java.util.Map;

/** PostgreSQL's text search configuration for a course language (stemming and stop words). */
public final class SearchConfig {

    private static final Map<String, String> BY_LANGUAGE = Map.of(
            "nl", "dutch", "en", "english", "de", "german", "fr", "french", "es", "spanish", "it", "italian",
            "pt", "portuguese", "sv", "swedish", "da", "danish", "no", "norwegian");

    private SearchConfig() {
    }

    public static String of(String language) {
        if (language == null) return "simple";
        String primary = Locale.forLanguageTag(language).getLanguage();
        return BY_LANGUAGE.getOrDefault(primary, "simple");
    }
}
