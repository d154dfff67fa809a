package org.knowmad.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/** UI strings in English and Dutch ({@code i18n/messages_*.properties}, UTF-8). English fills gaps. */
public final class Messages {

    public static final List<String> LANGUAGES = List.of("en", "nl");
    // Plain immutable maps, not Properties: a Properties lookup synchronises, and every page does dozens.
    private final Map<String, Map<String, String>> bundles;

    public Messages() {
        this.bundles = Map.of("en", load("en"), "nl", load("nl"));
    }

    private static Map<String, String> load(String lang) {
        String path = "/i18n/messages_" + lang + ".properties";
        try (InputStream in = Messages.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("missing " + path);
            Properties p = new Properties();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            Map<String, String> map = new java.util.HashMap<>();
            p.stringPropertyNames().forEach(k -> map.put(k, p.getProperty(k)));
            return Map.copyOf(map);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The supported language closest to a BCP-47 tag ({@code nl-BE} → {@code nl}); English otherwise. */
    public static String supported(String tag) {
        if (tag == null || tag.isBlank()) return "en";
        String primary = Locale.forLanguageTag(tag.trim()).getLanguage();
        return LANGUAGES.contains(primary) ? primary : "en";
    }

    /** The language of a mail to someone: the one they chose (if we speak it), else the course's. */
    public static String forRecipient(String chosen, String courseLanguage) {
        return chosen != null && LANGUAGES.contains(chosen) ? chosen : supported(courseLanguage);
    }

    public String get(String lang, String key, Object... args) {
        Map<String, String> bundle = bundles.getOrDefault(lang, bundles.get("en"));
        String pattern = bundle.get(key);
        if (pattern == null) pattern = bundles.get("en").get(key);
        if (pattern == null) return key;
        if (args.length == 0) return pattern;
        // Parsing a pattern costs more than formatting it, and pages format the same few many times.
        // MessageFormat is not thread-safe, so each thread keeps its own parsed copies, per language.
        String p = pattern;
        Parsed parsed = FORMATS.get().computeIfAbsent(lang, l -> new java.util.HashMap<>())
                .computeIfAbsent(pattern, k -> Parsed.of(p, Locale.forLanguageTag(lang)));
        return parsed.format(args);
    }

    /**
     * A parsed pattern, and a number format of its language when every argument in it is untyped ({@code {0}}, not
     * {@code {0,choice,...}}): MessageFormat makes a new NumberFormat for each number it writes into an untyped
     * argument (a quarter of what rendering a thread's fifty posts allocated, in their counts); the kept one writes
     * the same digits.
     */
    private record Parsed(MessageFormat format, java.text.NumberFormat numbers) {

        static Parsed of(String pattern, Locale locale) {
            MessageFormat format = new MessageFormat(pattern, locale);
            boolean untyped = java.util.Arrays.stream(format.getFormats()).allMatch(java.util.Objects::isNull);
            return new Parsed(format, untyped ? java.text.NumberFormat.getInstance(locale) : null);
        }

        String format(Object[] args) {
            if (numbers == null) return format.format(args);
            Object[] shown = args;
            for (int i = 0; i < args.length; i++) {
                if (args[i] instanceof Number n) {
                    if (shown == args) shown = args.clone();
                    shown[i] = numbers.format(n);
                }
            }
            return format.format(shown);
        }
    }

    private static final ThreadLocal<Map<String, Map<String, Parsed>>> FORMATS = ThreadLocal.withInitial(java.util.HashMap::new);

    /** Every key, so a test can check both languages define the same ones. */
    public java.util.Set<String> keys(String lang) {
        return bundles.get(lang).keySet();
    }
}
