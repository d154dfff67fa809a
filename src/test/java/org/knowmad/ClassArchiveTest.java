package org.knowmad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which server JVM the launcher starts (ClassArchive), from the command line the system reports for this one. */
class ClassArchiveTest {

    private static final Path ARCHIVE = Path.of("/opt/knowmad/knowmad.jsa");
    private static final String ARCHIVE_OPTION = "-XX:SharedArchiveFile=/opt/knowmad/knowmad.jsa";
    private static final String CHILD = "-D" + ClassArchive.CHILD_PROPERTY + "=true";

    @Test
    void theServerJvmGetsTheSameOptionsJarAndArgumentsPlusTheArchive() {
        var command = ClassArchive.childCommand("/usr/bin/java",
                List.of("-Xmx2g", "-XX:+UseSerialGC", "-Dknowmad.x=1", "-ea", "-jar", "target/knowmad.jar", "serve"), Map.of(), ARCHIVE,
                List.of("serve"));
        assertEquals(List.of("/usr/bin/java", "-Xmx2g", "-XX:+UseSerialGC", "-Dknowmad.x=1", "-ea", ARCHIVE_OPTION, CHILD, "-jar",
                "target/knowmad.jar", "serve"), command.orElseThrow());
    }

    @Test
    void withoutArgumentsTheServerJvmHasNoneEither() {
        var command = ClassArchive.childCommand("java", List.of("-jar", "knowmad.jar"), Map.of("PORT", "8080"), ARCHIVE, List.of());
        assertEquals(List.of("java", ARCHIVE_OPTION, CHILD, "-jar", "knowmad.jar"), command.orElseThrow());
    }

    @Test
    void optionsThatWouldRunTwiceOrClashKeepTheServerInThisJvm() {
        // Agents and debuggers would run in both JVMs, a JMX or debug port be taken twice, a recording or a log file
        // written by both; an archive option is the caller's own choice; an argument file's options cannot be seen.
        for (String option : List.of("-agentlib:jdwp=transport=dt_socket,server=y,address=5005", "-javaagent:/tmp/profiler.jar",
                "-agentpath:/tmp/libasyncProfiler.so", "-Xdebug", "-Xrunjdwp:transport=dt_socket", "-Xshare:off",
                "-XX:SharedArchiveFile=/tmp/other.jsa", "-XX:ArchiveClassesAtExit=/tmp/a.jsa", "-XX:DumpLoadedClassList=/tmp/c.lst",
                "-Dcom.sun.management.jmxremote.port=9010", "-XX:StartFlightRecording", "-XX:+FlightRecorder", "-Xlog:gc:file=/tmp/gc.log",
                "-XX:+AlwaysPreTouch", "@/etc/knowmad/jvm.options", "-verbose:class")) {
            assertTrue(ClassArchive.childCommand("java", List.of("-Xmx1g", option, "-jar", "knowmad.jar"), Map.of(), ARCHIVE, List.of())
                    .isEmpty(), option);
        }
    }

    @Test
    void optionsFromTheEnvironmentKeepTheServerInThisJvm() {
        // The java launcher adds them without showing them in the arguments, and the server JVM would take them again.
        for (String variable : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS")) {
            assertTrue(ClassArchive.childCommand("java", List.of("-jar", "knowmad.jar"), Map.of(variable, "-javaagent:/otel.jar"), ARCHIVE,
                    List.of()).isEmpty(), variable);
        }
    }

    @Test
    void notStartedAsAJarKeepsTheServerInThisJvm() {
        assertTrue(ClassArchive.childCommand("java", List.of("-cp", "target/classes", "org.knowmad.Main"), Map.of(), ARCHIVE, List.of())
                .isEmpty());
        assertTrue(ClassArchive.childCommand("java", List.of("-jar"), Map.of(), ARCHIVE, List.of()).isEmpty());
    }

    @Test
    void theArchiveLiesBesideTheJarUnderItsName() {
        assertEquals(Path.of("target/knowmad.jsa"), ClassArchive.archiveOf(Path.of("target/knowmad.jar")));
        assertEquals(Path.of("/app/knowmad.jsa"), ClassArchive.archiveOf(Path.of("/app/knowmad.jar")));
    }

    @Test
    void runFromClassesTheServerStaysInThisJvm() {
        // The tests run from target/classes: no jar, so no second JVM.
        assertTrue(ClassArchive.serve(new String[0]).isEmpty());
    }
}
