package org.knowmad;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.knowmad.course.CourseCatalog;
import org.knowmad.course.CourseLoader;
import org.knowmad.course.Problem;
import org.knowmad.db.DatabaseTarget;
import org.knowmad.db.EmbeddedDatabase;
import org.knowmad.db.Migrations;
import org.knowmad.health.VertxGaugeRepeats;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** The command line: {@code java -jar target/knowmad.jar [serve|validate|migrate|signin-link|token create]}. */
@Command(name = "knowmad", mixinStandardHelpOptions = true, version = "Knowmad 0.1",
        // Every subcommand inherits --help and --version.
        scope = CommandLine.ScopeType.INHERIT,
        description = "Runs cohort-based social courses written as YAML and Markdown.",
        subcommands = {Main.Serve.class, Main.Validate.class, Main.Migrate.class, Main.SigninLink.class, Main.Token.class,
                org.knowmad.review.GradeCommand.class})
public final class Main implements Callable<Integer> {

    public static void main(String[] args) {
        // No command means "serve": the README's one command starts a server. It skips the command line parser:
        // building picocli's model of every command by reflection took ~0.2 s of the start (issue #13, target 5).
        boolean serve = args.length == 0 || args.length == 1 && args[0].equals("serve");
        if (serve) ClassArchive.serve(args).ifPresent(System::exit);
        int code = serve ? new Serve().call() : new CommandLine(new Main()).execute(args);
        // A running server keeps the JVM alive through Vert.x's threads; every other command ends here.
        if (code != 0 || !serving) System.exit(code);
    }

    private static volatile boolean serving;

    @Override
    public Integer call() {
        return new Serve().call();
    }

    /** A database for the commands: DATABASE_URL, or the embedded server under .knowmad/. */
    static final class Database implements AutoCloseable {
        final DatabaseTarget target;
        private final EmbeddedDatabase embedded;

        Database(Config config) {
            this(config, true);
        }

        private Database(Config config, boolean migrate) {
            if (config.databaseUrl() != null) {
                this.embedded = null;
                this.target = DatabaseTarget.parse(config.databaseUrl());
            } else {
                System.out.println("DATABASE_URL is not set: using the embedded PostgreSQL in " + config.dataDir().resolve("pgdata"));
                this.embedded = EmbeddedDatabase.start(config.dataDir());
                this.target = embedded.target();
            }
            if (migrate) Migrations.migrate(target);
        }

        /** The database, started (embedded) or named (DATABASE_URL), not yet migrated: see {@link #migrateAside}. */
        static Database unmigrated(Config config) {
            return new Database(config, false);
        }

        /**
         * Migrates on a thread of its own, so that the server can wire itself, read the course files and compile its
         * front page meanwhile (start-up is mostly waiting for the database and loading classes; both cores can do
         * the latter).
         */
        CompletableFuture<Void> migrateAside() {
            CompletableFuture<Void> migrated = new CompletableFuture<>();
            Thread migrator = new Thread(() -> {
                try {
                    Migrations.migrate(target);
                    migrated.complete(null);
                } catch (RuntimeException e) {
                    migrated.completeExceptionally(e);
                }
            }, "knowmad-migrations");
            migrator.setDaemon(true);
            migrator.start();
            return migrated;
        }

        @Override
        public void close() {
            if (embedded != null) embedded.close();
        }
    }

    @Command(name = "serve", description = "Serve the courses in COURSES_DIR (default).")
    static final class Serve implements Callable<Integer> {
        static final int STOP_SECONDS = 10;

        @Override
        public Integer call() {
            long started = System.nanoTime();
            Config config;
            try {
                config = Config.fromEnvironment();
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage()); // a setting in error: its message, not a stack trace
                return 1;
            }
            // Logging set up before two threads log at once: otherwise SLF4J queues their first lines and prints a
            // notice about replaying them.
            org.slf4j.LoggerFactory.getILoggerFactory();
            Database database;
            try {
                database = Database.unmigrated(config);
            } catch (RuntimeException e) {
                System.err.println(e.getMessage());
                return 1;
            }
            CompletableFuture<Void> migrated = database.migrateAside();
            PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            Thread jvmMetrics = new Thread(() -> {
                new JvmMemoryMetrics().bindTo(metrics);
                new JvmGcMetrics().bindTo(metrics);
                new JvmThreadMetrics().bindTo(metrics);
            }, "knowmad-jvm-metrics");
            jvmMetrics.setDaemon(true);
            jvmMetrics.start();
            Vertx vertx = meteredVertx(metrics);
            try {
                App app = App.start(vertx, config, Clock.systemUTC(), database.target, Future.fromCompletionStage(migrated), metrics,
                                App.Timers.DEFAULT, Rules.standard())
                        .toCompletionStage().toCompletableFuture().join();
                CourseCatalog catalog = app.catalog();
                catalog.problems().forEach(p -> System.err.println(p));
                long ms = (System.nanoTime() - started) / 1_000_000;
                System.out.printf("Knowmad is serving %d course(s) from %s at %s (port %d, started in %d ms)%n",
                        catalog.courses().size(), config.coursesDir().toAbsolutePath(), config.baseUrl(), app.port(), ms);
                if (config.devMail()) System.out.println("SMTP_URL is not set: mail goes to " + config.baseUrl() + "/dev/mail");
                serving = true;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    // A stop that never finishes must not keep the process alive: SIGTERM stops the server within
                    // STOP_SECONDS whatever it waits for, and says what that was (seen once: an idle server kept running).
                    awaitAtMost(app.stop(), () -> "the node's stop, at " + app.stopping());
                    awaitAtMost(vertx.close(), () -> "Vert.x to close");
                    database.close();
                }));
                return 0;
            } catch (RuntimeException e) {
                System.err.println("Could not start: " + rootMessage(e));
                vertx.close();
                migrated.handle((v, failure) -> null).join(); // the embedded server stops only once Flyway has let go of it
                database.close();
                return 1;
            }
        }
    }

    /** Waits for a step of stopping at most {@link Serve#STOP_SECONDS}; past that, or if it fails, says so and goes on. */
    private static void awaitAtMost(Future<?> step, java.util.function.Supplier<String> what) {
        try {
            step.toCompletionStage().toCompletableFuture().get(Serve.STOP_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            System.err.println("Stopping waited " + Serve.STOP_SECONDS + " s for " + what.get() + "; stopping anyway.");
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            System.err.println("Stopping: " + what.get() + " failed (" + rootMessage(e) + "); stopping anyway.");
        }
    }

    /** The server's Vert.x, measuring its connections and requests into {@code metrics}. */
    static Vertx meteredVertx(MeterRegistry metrics) {
        VertxGaugeRepeats.install();
        return Vertx.builder()
                .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
                .withMetrics(new MicrometerMetricsFactory(metrics))
                .build();
    }

    @Command(name = "validate", description = "Check course files; print every error as file:line:column: path: message.")
    static final class Validate implements Callable<Integer> {
        @Parameters(index = "0", arity = "0..1", description = "A courses folder or one course folder (default: COURSES_DIR).")
        Path dir;

        @Override
        public Integer call() {
            Path target = dir != null ? dir : Config.fromEnvironment().coursesDir();
            long started = System.nanoTime();
            List<Problem> problems = new CourseLoader().validate(target);
            long micros = (System.nanoTime() - started) / 1_000;
            problems.forEach(p -> System.out.println(p));
            if (problems.isEmpty()) {
                System.out.printf("OK: %s is valid (checked in %.1f ms).%n", target, micros / 1000.0);
                return 0;
            }
            System.out.println(problems.size() + (problems.size() == 1 ? " error." : " errors."));
            return 1;
        }
    }

    @Command(name = "migrate", description = "Bring the database schema up to date and exit.")
    static final class Migrate implements Callable<Integer> {
        @Override
        public Integer call() {
            try (Database db = new Database(Config.fromEnvironment())) {
                System.out.println("Database is up to date.");
                return 0;
            } catch (RuntimeException e) {
                System.err.println(rootMessage(e));
                return 1;
            }
        }
    }

    @Command(name = "signin-link", description = "Print a one-time sign-in link (15 minutes) for an address, e.g. the first facilitator.")
    static final class SigninLink implements Callable<Integer> {
        @Parameters(index = "0", description = "Email address")
        String email;

        @Override
        public Integer call() {
            return withServices(services -> services.signin().createLink(email));
        }
    }

    @Command(name = "token", description = "Personal API tokens.", subcommands = Token.Create.class)
    static final class Token {
        @Command(name = "create", description = "Print a new API token for an address (creates the account if needed).")
        static final class Create implements Callable<Integer> {
            @Parameters(index = "0", description = "Email address")
            String email;

            @CommandLine.Option(names = "--label", description = "What the token is for", defaultValue = "command line")
            String label;

            @CommandLine.Option(names = "--days", description = "How many days the token works (1 to 366, default ${DEFAULT-VALUE})",
                    defaultValue = "90")
            int days;

            @Override
            public Integer call() {
                return withServices(services -> services.signin().createApiToken(email, label, java.time.Duration.ofDays(days)));
            }
        }
    }

    /** Runs one database action for a command and prints its answer. */
    private static Integer withServices(java.util.function.Function<CommandServices, io.vertx.core.Future<String>> action) {
        Config config = Config.fromEnvironment();
        try (Database db = new Database(config)) {
            Vertx vertx = Vertx.vertx();
            try {
                CommandServices services = CommandServices.create(vertx, config, db.target);
                String out = action.apply(services).eventually(() -> services.close()).toCompletionStage().toCompletableFuture().join();
                System.out.println(out);
                return 0;
            } finally {
                vertx.close().toCompletionStage().toCompletableFuture().join();
            }
        } catch (RuntimeException e) {
            System.err.println(rootMessage(e));
            return 1;
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || t instanceof java.util.concurrent.CompletionException)) t = t.getCause();
        if (t instanceof org.knowmad.web.HttpProblem p) return new org.knowmad.web.Messages().get("en", p.key(), p.args());
        return String.valueOf(t.getMessage());
    }
}
