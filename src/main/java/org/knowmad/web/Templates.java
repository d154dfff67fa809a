package org.knowmad.web;

import com.github.jknack.handlebars.Context;
import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.Helper;
import com.github.jknack.handlebars.Template;
import com.github.jknack.handlebars.cache.ConcurrentMapTemplateCache;
import com.github.jknack.handlebars.context.MapValueResolver;
import com.github.jknack.handlebars.context.MethodValueResolver;
import com.github.jknack.handlebars.ValueResolver;
import com.github.jknack.handlebars.io.ClassPathTemplateLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;
import org.knowmad.schedule.HumanTime;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Handlebars.java used directly (not through vertx-web's engine): templates come from the classpath
 * only, so a stray {@code templates/} folder in the working directory cannot shadow them, partials
 * resolve from the templates root, and the cheaper {@link HtmlEscaper} is used.
 *
 * <p>Pages extend {@code layouts/main} with {@code {{#partial "content"}}...{{/partial}}{{> layouts/main}}}.
 * The root model carries {@code lang} and {@code zone}, which the {@code t} and {@code time} helpers read.
 */
public final class Templates {

    static {
        // Handlebars renders every {{#if}}, {{#each}} body and partial into a buffer of its own, 1,600 characters
        // unless "hbs.buffer" says otherwise; most of ours hold a few dozen. A page shell with a hundred of them
        // allocated ~160 KB per view for nothing (a fifth of the thread page's allocation). A small buffer grows
        // when a body is longer. Set before Handlebars' writer class is first used; a value given on the command
        // line is kept.
        if (System.getProperty("hbs.buffer") == null) System.setProperty("hbs.buffer", "128");
    }

    private final Handlebars handlebars;
    private final Map<String, Template> compiled = new ConcurrentHashMap<>();

    public Templates(Messages messages) {
        this.handlebars = new Handlebars(new OnceLoader())
                .with(new HtmlEscaper())
                .with(new ConcurrentMapTemplateCache())
                .prettyPrint(true); // drops the blank lines block tags leave behind
        // The page's language and zone come from the render call, not from a lookup through nested
        // contexts: inside {{#each}} over 50 posts those lookups were a large share of a page's cost.
        handlebars.registerHelper("t", (Helper<String>) (key, options) -> messages.get(CURRENT.get().lang(), key, options.params));
        handlebars.registerHelper("time", (Helper<Object>) (value, options) -> {
            if (!(value instanceof Instant instant)) return "";
            Page page = CURRENT.get();
            return formatTime(instant, page.zone(), page.lang());
        });
        // {{timeRange starts ends}}: "Sunday 20 December 2026, 14:00–17:00", the day said once (see HumanTime.range).
        handlebars.registerHelper("timeRange", (Helper<Object>) (value, options) -> {
            if (!(value instanceof Instant start) || !(options.param(0, null) instanceof Instant end)) return "";
            Page page = CURRENT.get();
            return HumanTime.range(start, end, page.zone(), Locale.forLanguageTag(page.lang()));
        });
        handlebars.registerHelper("concat", (Helper<Object>) (a, options) -> {
            StringBuilder sb = new StringBuilder(Objects.toString(a, ""));
            for (Object p : options.params) sb.append(p);
            return sb.toString();
        });
        registerFormHelpers();
        handlebars.registerHelper("eq", (Helper<Object>) (a, options) ->
                Objects.equals(Objects.toString(a, null), Objects.toString(options.param(0, null), null)));
    }

    /**
     * The helpers of a form that may come back refused ({@link FormRetry}); each takes an optional
     * {@code for=} (the form's action) when a page has several forms with the same field names:
     * {@code {{field "id" default=x}}} the typed value (else the default), {@code {{fieldError "id"}}} the message
     * beside the field, {@code {{invalid "id"}}} its ARIA attributes, {@code {{selected "pace" "self" default=x}}},
     * {@code {{checked "anonymous" default=bool}}} (a checkbox) and {@code {{checked "score-x" 2 default=bool}}} (a radio button).
     */
    private void registerFormHelpers() {
        handlebars.registerHelper("field", (Helper<String>) (name, options) -> {
            FormRetry.Shown form = shownFor(options);
            if (form != null) return form.values().getOrDefault(name, "");
            Object fallback = options.hash("default");
            return fallback == null ? "" : fallback.toString();
        });
        handlebars.registerHelper("fieldError", (Helper<String>) (name, options) -> {
            FormRetry.Shown form = shownFor(options);
            if (form == null || !name.equals(form.field())) return "";
            return new Handlebars.SafeString("<small class=\"field-error\" id=\"" + errorId(name) + "\" role=\"alert\">"
                    + handlebars.getEscapingStrategy().escape(form.message()) + "</small>");
        });
        handlebars.registerHelper("invalid", (Helper<String>) (name, options) -> {
            FormRetry.Shown form = shownFor(options);
            if (form == null || !name.equals(form.field())) return "";
            return new Handlebars.SafeString(" aria-invalid=\"true\" aria-describedby=\"" + errorId(name) + "\"");
        });
        handlebars.registerHelper("selected", (Helper<String>) (name, options) -> {
            FormRetry.Shown form = shownFor(options);
            Object value = options.param(0, "");
            String current = form != null ? form.values().get(name) : Objects.toString(options.hash("default"), null);
            return Objects.equals(Objects.toString(value, ""), current) ? "selected" : "";
        });
        handlebars.registerHelper("checked", (Helper<String>) (name, options) -> {
            FormRetry.Shown form = shownFor(options);
            // A checkbox is checked when sent at all; a radio button ({{checked name value}}) when its value was sent.
            Object value = options.param(0, null);
            boolean on = form == null ? Boolean.TRUE.equals(options.hash("default"))
                    : value == null ? form.values().containsKey(name) : Objects.toString(value).equals(form.values().get(name));
            return on ? "checked" : "";
        });
    }

    private static String errorId(String field) {
        return "error-" + field.replaceAll("[^A-Za-z0-9_-]", "-");
    }

    /** The refused form on this page, if the helper is about that form. */
    private static FormRetry.Shown shownFor(com.github.jknack.handlebars.Options options) {
        FormRetry.Shown form = CURRENT.get().form();
        return form != null && form.about(options.hash("for")) ? form : null;
    }

    /** "Monday 16 January 2017, 09:00" / "maandag 16 januari 2017 om 09:00" in the course zone (see {@link HumanTime}). */
    public static String formatTime(Instant instant, ZoneId zone, String lang) {
        return HumanTime.dateTime(instant, zone, Locale.forLanguageTag(lang));
    }

    /**
     * Compiles these templates now, on the calling (worker) thread: at start the node does it while it waits for
     * its database, so that the first visitor does not pay for loading the template compiler. (Compiling every
     * template there cost more than it saved: README, Performance.)
     */
    public void compile(String... names) {
        for (String name : names) compiled.computeIfAbsent(name, this::compile);
    }

    /**
     * Compiles every template of the classpath not compiled yet, on the calling (worker) thread. A node does it a few
     * seconds after it started, off the start's critical path, so that no first view of a page pays for compiling
     * it (~0.1 s each on a cold node).
     */
    public void compileAll() {
        try {
            java.net.URI root = Objects.requireNonNull(Templates.class.getResource("/templates/layouts/main.hbs"),
                    "templates missing from the classpath").toURI();
            if ("jar".equals(root.getScheme())) {
                try (java.nio.file.FileSystem jar = java.nio.file.FileSystems.newFileSystem(root, Map.of())) {
                    compileUnder(jar.getPath("/templates"));
                }
            } else {
                compileUnder(java.nio.file.Path.of(root).getParent().getParent());
            }
        } catch (IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot list the templates", e);
        }
    }

    private void compileUnder(java.nio.file.Path folder) throws IOException {
        try (var files = java.nio.file.Files.walk(folder)) {
            for (java.nio.file.Path file : (Iterable<java.nio.file.Path>) files::iterator) {
                String name = folder.relativize(file).toString().replace('\\', '/');
                if (name.endsWith(".hbs")) compiled.computeIfAbsent(name.substring(0, name.length() - ".hbs".length()), this::compile);
            }
        }
    }

    /** How many templates are compiled (tests). */
    int compiledCount() {
        return compiled.size();
    }

    /** The language and zone of the page being rendered on this thread. */
    private record Page(String lang, ZoneId zone, FormRetry.Shown form) {
    }

    private static final ThreadLocal<Page> CURRENT = ThreadLocal.withInitial(() -> new Page("en", ZoneId.of("UTC"), null));

    /**
     * Renders with the model's {@code lang} and {@code zone}. Models are maps and records: values resolve
     * by map key or by a record's accessor method (no JavaBean getters, whose misses cost a reflective search).
     */
    public String render(String name, Map<String, Object> model) {
        Template template = compiled.computeIfAbsent(name, this::compile);
        Object zone = model.get("zone");
        CURRENT.set(new Page(Objects.toString(model.get("lang"), "en"), zone instanceof ZoneId z ? z : ZoneId.of("UTC"),
                model.get("form") instanceof FormRetry.Shown shown ? shown : null));
        Context context = Context.newBuilder(model)
                .resolver(MapValueResolver.INSTANCE, RECORDS)
                .build();
        try {
            return template.apply(context);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            context.destroy();
        }
    }

    /**
     * Record accessors, never a map's methods: a key a map lacks (a post's {@code endorsed}, {@code canEdit}, …
     * on most posts) used to fall through to MethodValueResolver, whose per-class member cache lookup was the
     * largest single item in the thread page's profile. Maps answer only by key.
     */
    private static final ValueResolver RECORDS = new ValueResolver() {
        @Override
        public Object resolve(Object context, String name) {
            return context instanceof Map ? UNRESOLVED : MethodValueResolver.INSTANCE.resolve(context, name);
        }

        @Override
        public Object resolve(Object context) {
            return context instanceof Map ? UNRESOLVED : MethodValueResolver.INSTANCE.resolve(context);
        }

        @Override
        public java.util.Set<Map.Entry<String, Object>> propertySet(Object context) {
            return context instanceof Map ? java.util.Set.of() : MethodValueResolver.INSTANCE.propertySet(context);
        }
    };

    /**
     * Renders a fragment on its own (a post's face, kept and reused by the caller) with the given language and zone,
     * leaving the page being rendered on this thread, if any, as it was.
     */
    public String renderFragment(String name, Object model, String lang, ZoneId zone) {
        Template template = compiled.computeIfAbsent(name, this::compile);
        Page outer = CURRENT.get();
        CURRENT.set(new Page(lang, zone, null));
        Context context = Context.newBuilder(model).resolver(MapValueResolver.INSTANCE, RECORDS).build();
        try {
            return template.apply(context);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            context.destroy();
            CURRENT.set(outer);
        }
    }

    /**
     * Classpath templates, each found once: Handlebars resolves a partial by name on every use (fifty times on a
     * thread page) before asking its cache, and each of those lookups searched the jar.
     */
    private static final class OnceLoader extends ClassPathTemplateLoader {
        private final Map<String, com.github.jknack.handlebars.io.TemplateSource> found = new ConcurrentHashMap<>();

        OnceLoader() {
            super("/templates", ".hbs");
        }

        @Override
        public com.github.jknack.handlebars.io.TemplateSource sourceAt(String location) throws IOException {
            var source = found.get(location);
            if (source != null) return source;
            source = super.sourceAt(location);
            found.put(location, source);
            return source;
        }
    }

    private Template compile(String name) {
        try {
            return handlebars.compile(name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load template " + name, e);
        }
    }
}
