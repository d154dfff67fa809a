package org.knowmad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.knowmad.db.DatabaseTarget;
import org.knowmad.support.TestDatabase;

/**
 * The packaged jar as the README starts it: {@code java -jar target/knowmad.jar} serves from a second JVM that maps
 * the class archive the build wrote (ClassArchive), and a stop of the first, or its death, stops the server too.
 */
class ArchivedStartIT {

    private static final Path JAR = Path.of("target/knowmad.jar");
    private Process launcher;
    private ProcessHandle server;

    @AfterEach
    void stop() {
        if (launcher == null) return;
        launcher.descendants().forEach(ProcessHandle::destroyForcibly);
        if (server != null) server.destroyForcibly(); // no longer the launcher's child once the launcher is gone
        launcher.destroyForcibly();
    }

    @Test
    void theBuildWritesAnArchiveForThisJvmAndJar() throws IOException {
        Path archive = ClassArchive.archiveOf(JAR);
        assertTrue(Files.isRegularFile(archive), "the build writes target/knowmad.jsa");
        assertEquals(ClassArchive.stamp(JAR), ClassArchive.stampOf(archive));
    }

    @Test
    void theServerRunsWithTheArchiveAndStopsWithItsLauncher() throws Exception {
        int port = start(JAR);
        server = server();
        Path archive = ClassArchive.archiveOf(JAR.toAbsolutePath());
        assertTrue(server.info().arguments().map(List::of).orElseThrow().contains("-XX:SharedArchiveFile=" + archive),
                "the server JVM is given the archive: " + server.info().commandLine().orElse("?"));
        Path maps = Path.of("/proc", Long.toString(server.pid()), "maps");
        if (Files.exists(maps)) assertTrue(Files.readString(maps).contains(archive.toString()), "the server JVM maps the archive");

        launcher.destroy(); // SIGTERM, as docker stop or systemd would send
        assertTrue(launcher.waitFor(30, TimeUnit.SECONDS), "the launcher stops");
        assertEquals(143, launcher.exitValue());
        assertFalse(server.isAlive(), "the server stopped before its launcher");
        assertFalse(answers(port), "nothing answers on the port any more");
    }

    @Test
    void theServerStopsWhenItsLauncherIsKilled() throws Exception {
        int port = start(JAR);
        server = server();

        launcher.destroyForcibly(); // SIGKILL: no hook of the launcher runs
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        // Gone, or a zombie where nobody reaps orphans (Maven as PID 1 in a container): either way it stopped.
        while (server.isAlive() && !zombie(server) || answers(port)) {
            if (System.nanoTime() > deadline) fail("the server outlived its killed launcher by 20 s");
            Thread.sleep(100);
        }
    }

    @Test
    void aJarMovedAwayFromItsArchiveServesInOneJvm() throws Exception {
        // As in a container image that copies the jar and the archive elsewhere: a JVM maps an archive only for the
        // jar path it was written from, and one that cannot map it runs without the JDK's own archive too.
        Path moved = Files.createTempDirectory(Path.of("target"), "moved-jar");
        for (String name : List.of("knowmad.jar", "knowmad.jsa", "knowmad.jsa.vm")) {
            Files.copy(Path.of("target", name), moved.resolve(name), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
        start(moved.resolve("knowmad.jar"));
        assertEquals(List.of(), launcher.children().toList(), "no second JVM");
    }

    @Test
    void aSettingInErrorEndsTheStartWithItsMessageAndExitCodeOne() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString())
                .redirectErrorStream(true);
        builder.environment().put("PORT", "abc");
        launcher = builder.start();
        String output = new String(launcher.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(launcher.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, launcher.exitValue(), output); // the server JVM's exit code, through the launcher
        assertTrue(output.contains("PORT must be a number from 0 to 65535, not 'abc'"), output);
        assertFalse(output.contains("Exception in thread"), output);
    }

    private static boolean zombie(ProcessHandle process) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return false;
        }
    }

    /** Starts the jar on a fresh database and waits for its first page; returns the port. */
    private int start(Path jar) throws Exception {
        DatabaseTarget database = TestDatabase.fresh();
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path log = Files.createTempFile(Path.of("target"), "archived-start", ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("DATABASE_URL", database.url());
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("COURSES_DIR", Path.of("courses").toAbsolutePath().toString());
        builder.environment().put("BASE_URL", "http://localhost:" + port);
        builder.environment().put("KNOWMAD_DATA_DIR", Files.createTempDirectory(Path.of("target"), "archived-start").toString());
        launcher = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!answers(port)) {
            if (!launcher.isAlive()) fail("the jar stopped: " + Files.readString(log));
            if (System.nanoTime() > deadline) fail("no first page within 90 s: " + Files.readString(log));
            Thread.sleep(100);
        }
        return port;
    }

    private ProcessHandle server() {
        List<ProcessHandle> children = launcher.children().toList();
        assertEquals(1, children.size(), "one server JVM under the launcher");
        return children.get(0);
    }

    private static boolean answers(int port) {
        try {
            HttpResponse<Void> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()
                    .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
