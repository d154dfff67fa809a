package org.knowmad;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Serving from a class archive: the build writes {@code knowmad.jsa} beside the jar (a CDS archive of the classes a
 * start loads, already parsed and verified, with the lambda and method-handle classes they spin), and a JVM can only
 * map one when it is started with {@code -XX:SharedArchiveFile}, which a jar's manifest cannot name. So
 * {@code java -jar knowmad.jar} (serve) runs the server in a second JVM started with it, passing on its JVM options,
 * output, exit code and stops: about a third less CPU and a second less to the first page (README, Performance:
 * Start). The server stays in this JVM unless all is as the build left it and every JVM option is one that may run
 * twice (a JVM that cannot map an archive runs without the JDK's own one too: slower than one JVM).
 */
final class ClassArchive {

    /** Set on the server JVM this class started. */
    static final String CHILD_PROPERTY = "knowmad.archived";
    /** The server's stop waits up to STOP_SECONDS for the node and again for Vert.x, then stops the database. */
    private static final long STOP_WAIT_SECONDS = 2L * Main.Serve.STOP_SECONDS + 10;
    /** Variables through which the {@code java} launcher adds options that this JVM's command line does not show. */
    private static final List<String> OPTION_VARIABLES = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");
    /**
     * The JVM options that may be given to both JVMs: sizes, collectors, assertions, system properties. Anything else
     * (agents, debuggers, JMX ports, flight recordings, log files, heap pre-touching...) would run twice or clash.
     */
    private static final List<String> SAFE_PREFIXES = List.of("-Xmx", "-Xms", "-Xss", "-Xmn", "-XX:MaxRAMPercentage=",
            "-XX:InitialRAMPercentage=", "-XX:MinRAMPercentage=", "-XX:MaxRAM=", "-XX:ActiveProcessorCount=",
            "-XX:MaxGCPauseMillis=", "-XX:+ExitOnOutOfMemoryError", "-XX:+CrashOnOutOfMemoryError", "-ea", "-da",
            "-enableassertions", "-disableassertions", "-Dfile.encoding=", "-Duser.", "-Djava.io.tmpdir=", "-Dknowmad.");
    private static final List<String> SAFE_COLLECTORS = List.of("-XX:+UseG1GC", "-XX:+UseSerialGC", "-XX:+UseParallelGC",
            "-XX:+UseZGC", "-XX:+UseShenandoahGC");

    private ClassArchive() {
    }

    /**
     * Runs the server in a JVM mapping the archive and returns its exit code, or empty when this JVM should serve
     * itself (see the class comment).
     */
    static Optional<Integer> serve(String[] args) {
        if (System.getProperty(CHILD_PROPERTY) != null) {
            exitWithLauncher();
            return Optional.empty();
        }
        Optional<List<String>> command = command(args);
        if (command.isEmpty()) return Optional.empty();
        Process server;
        try {
            // Its input is a pipe only this JVM holds: when this JVM is gone, however it went, the server reads its end.
            server = new ProcessBuilder(command.get()).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            return Optional.empty();
        }
        // A stop (SIGTERM, Ctrl-C) of this JVM stops the server and waits for it, as the server alone would.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.destroy();
            try {
                if (!server.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) server.destroyForcibly();
            } catch (InterruptedException e) {
                server.destroyForcibly();
            }
        }, "knowmad-launcher-stop"));
        while (true) {
            try {
                return Optional.of(server.waitFor());
            } catch (InterruptedException e) {
                // Keep waiting: the server's exit code is this process's.
            }
        }
    }

    /** The server JVM's command line, if this start qualifies (see the class comment). */
    private static Optional<List<String>> command(String[] args) {
        Optional<Path> jar = runningJar();
        if (jar.isEmpty()) return Optional.empty();
        Path archive = archiveOf(jar.get());
        try {
            if (!Files.isRegularFile(archive) || !stampOf(archive).equals(stamp(jar.get()))
                    || Files.getLastModifiedTime(jar.get()).compareTo(Files.getLastModifiedTime(archive)) > 0) {
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        ProcessHandle.Info self = ProcessHandle.current().info();
        if (self.command().isEmpty() || self.arguments().isEmpty()) return Optional.empty();
        return childCommand(self.command().get(), List.of(self.arguments().get()), System.getenv(), archive, List.of(args));
    }

    /**
     * The server JVM's command from this one's ({@code java} and its arguments as the system reports them): the same
     * JVM options, the archive, the same jar and arguments. Empty if this JVM was not started with {@code -jar}, or
     * with an option not known to be safe twice, an argument file, or options in the environment (they are not in
     * the arguments and the server JVM would take them again).
     */
    static Optional<List<String>> childCommand(String java, List<String> arguments, Map<String, String> environment, Path archive,
                                               List<String> args) {
        if (OPTION_VARIABLES.stream().anyMatch(environment::containsKey)) return Optional.empty();
        int jarAt = arguments.indexOf("-jar");
        if (jarAt < 0 || jarAt + 1 >= arguments.size()) return Optional.empty();
        List<String> options = arguments.subList(0, jarAt);
        if (!options.stream().allMatch(ClassArchive::safeTwice)) return Optional.empty();
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(options);
        command.add("-XX:SharedArchiveFile=" + archive);
        command.add("-D" + CHILD_PROPERTY + "=true");
        command.add("-jar");
        command.add(arguments.get(jarAt + 1));
        command.addAll(args);
        return Optional.of(command);
    }

    static boolean safeTwice(String option) {
        return SAFE_COLLECTORS.contains(option) || SAFE_PREFIXES.stream().anyMatch(option::startsWith);
    }

    /** {@code knowmad.jsa} for {@code knowmad.jar}. */
    static Path archiveOf(Path jar) {
        String name = jar.getFileName().toString();
        String base = name.endsWith(".jar") ? name.substring(0, name.length() - 4) : name;
        return jar.resolveSibling(base + ".jsa");
    }

    /**
     * What the archive was written for, as the build records it beside the archive ({@code knowmad.jsa.vm}): the JVM
     * build, and the jar's absolute path and size. A JVM maps an archive only for the very jar it was written from.
     */
    static String stamp(Path jar) throws IOException {
        Path absolute = jar.toAbsolutePath().normalize();
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version") + "\n" + absolute + "\n"
                + Files.size(absolute);
    }

    static String stampOf(Path archive) throws IOException {
        return Files.readString(archive.resolveSibling(archive.getFileName() + ".vm")).strip();
    }

    private static Optional<Path> runningJar() {
        try {
            var source = ClassArchive.class.getProtectionDomain().getCodeSource();
            if (source == null) return Optional.empty();
            Path path = Path.of(source.getLocation().toURI());
            return Files.isRegularFile(path) && path.toString().endsWith(".jar") ? Optional.of(path) : Optional.empty();
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The server goes when its launcher does, even killed outright (an orphan would keep the port): its input is a
     * pipe from the launcher, which ends when the launcher's process does, reaped or not.
     */
    private static void exitWithLauncher() {
        Thread watch = new Thread(() -> {
            try (InputStream fromLauncher = System.in) {
                while (fromLauncher.read() >= 0) {
                    // The launcher writes nothing; reading only waits for the end.
                }
            } catch (IOException e) {
                // Ended all the same.
            }
            System.err.println("The launcher is gone; stopping.");
            System.exit(143);
        }, "knowmad-launcher-watch");
        watch.setDaemon(true);
        watch.start();
    }
}
