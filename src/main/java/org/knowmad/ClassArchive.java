package org.knowmad;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Serving from a class archive: the build writes {@code knowmad.jsa} beside the jar (a CDS archive of the classes a
 * start loads, already parsed and verified, with the lambda and method-handle classes they spin), and a JVM can only
 * map one when it is started with {@code -XX:SharedArchiveFile}, which a jar's manifest cannot name. So
 * {@code java -jar knowmad.jar} (serve) runs the server in a second JVM started with it, passing on the JVM options
 * it was given, its output, its exit code and a stop: about a third less CPU and a second less to the first page
 * (README, Performance: Start). Anything unusual and the server simply starts in this JVM.
 */
final class ClassArchive {

    /** Set on the server JVM this class started. */
    static final String CHILD_PROPERTY = "knowmad.archived";
    /** How long a stopping launcher waits for the server before killing it (Main stops within STOP_SECONDS). */
    private static final long STOP_WAIT_SECONDS = Main.Serve.STOP_SECONDS + 5;

    private ClassArchive() {
    }

    /**
     * Runs the server in a JVM mapping the archive and returns its exit code, or empty when this JVM should serve
     * itself: no archive beside the jar, one written by another JVM build, not started as {@code -jar}, already the
     * server JVM, or given options that must not run twice (agents, debuggers) or that choose an archive themselves.
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
            server = new ProcessBuilder(command.get()).inheritIO().start();
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

    /** The server JVM's command line, if this start qualifies (see {@link #serve}). */
    private static Optional<List<String>> command(String[] args) {
        Optional<Path> jar = runningJar();
        if (jar.isEmpty()) return Optional.empty();
        Path archive = archiveOf(jar.get());
        Path builtBy = archive.resolveSibling(archive.getFileName() + ".vm");
        try {
            if (!Files.isRegularFile(archive) || !Files.readString(builtBy).strip().equals(vm())) return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
        ProcessHandle.Info self = ProcessHandle.current().info();
        if (self.command().isEmpty() || self.arguments().isEmpty()) return Optional.empty();
        return childCommand(self.command().get(), List.of(self.arguments().get()), archive, List.of(args));
    }

    /**
     * The server JVM's command from this one's ({@code java} and its arguments as the system reports them): the same
     * JVM options, the archive, the same jar and arguments. Empty if this JVM was not started with {@code -jar} or
     * has options that must not be given to two JVMs or that pick a class archive themselves.
     */
    static Optional<List<String>> childCommand(String java, List<String> arguments, Path archive, List<String> args) {
        int jarAt = arguments.indexOf("-jar");
        if (jarAt < 0 || jarAt + 1 >= arguments.size()) return Optional.empty();
        List<String> options = arguments.subList(0, jarAt);
        for (String option : options) {
            if (option.startsWith("-agentlib") || option.startsWith("-agentpath") || option.startsWith("-javaagent")
                    || option.startsWith("-Xrunjdwp") || option.startsWith("-Xdebug")
                    || option.startsWith("-Xshare") || option.startsWith("-XX:SharedArchiveFile")
                    || option.startsWith("-XX:ArchiveClassesAtExit") || option.startsWith("-XX:DumpLoadedClassList")) {
                return Optional.empty();
            }
        }
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

    /** {@code knowmad.jsa} for {@code knowmad.jar}. */
    static Path archiveOf(Path jar) {
        String name = jar.getFileName().toString();
        String base = name.endsWith(".jar") ? name.substring(0, name.length() - 4) : name;
        return jar.resolveSibling(base + ".jsa");
    }

    /** The JVM build an archive must come from to be mapped (the build writes its own next to the archive). */
    static String vm() {
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version");
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

    /** The server goes when its launcher does, even killed outright: an orphan would keep the port. */
    private static void exitWithLauncher() {
        ProcessHandle.current().parent().ifPresent(launcher -> launcher.onExit().thenRun(() -> {
            System.err.println("The launcher (pid " + launcher.pid() + ") is gone; stopping.");
            System.exit(143);
        }));
    }
}
