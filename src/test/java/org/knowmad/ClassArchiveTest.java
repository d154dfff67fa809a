package org.knowmad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which server JVM the launcher starts (ClassArchive), from the command line the system reports for this one. */
class ClassArchiveTest {

    private static final Path ARCHIVE = Path.of("/opt/knowmad/knowmad.jsa");

    @Test
    void theServerJvmGetsTheSameOptionsJarAndArgumentsPlusTheArchive() {
        var command = ClassArchive.childCommand("/usr/bin/java", List.of("-Xmx2g", "-Dknowmad.x=1", "-jar", "target/knowmad.jar", "serve"),
                ARCHIVE, List.of("serve"));
        assertEquals(List.of("/usr/bin/java", "-Xmx2g", "-Dknowmad.x=1", "-XX:SharedArchiveFile=/opt/knowmad/knowmad.jsa",
                "-D" + ClassArchive.CHILD_PROPERTY + "=true", "-jar", "target/knowmad.jar", "serve"), command.orElseThrow());
    }

    @Test
    void withoutArgumentsTheServerJvmHasNoneEither() {
        var command = ClassArchive.childCommand("java", List.of("-jar", "knowmad.jar"), ARCHIVE, List.of());
        assertEquals(List.of("java", "-XX:SharedArchiveFile=/opt/knowmad/knowmad.jsa", "-D" + ClassArchive.CHILD_PROPERTY + "=true",
                "-jar", "knowmad.jar"), command.orElseThrow());
    }

    @Test
    void optionsThatMustNotRunTwiceOrPickAnArchiveKeepTheServerInThisJvm() {
        for (String option : List.of("-agentlib:jdwp=transport=dt_socket,server=y,address=5005", "-javaagent:/tmp/profiler.jar",
                "-agentpath:/tmp/libasyncProfiler.so", "-Xdebug", "-Xrunjdwp:transport=dt_socket", "-Xshare:off",
                "-XX:SharedArchiveFile=/tmp/other.jsa", "-XX:ArchiveClassesAtExit=/tmp/a.jsa", "-XX:DumpLoadedClassList=/tmp/c.lst")) {
            assertTrue(ClassArchive.childCommand("java", List.of(option, "-jar", "knowmad.jar"), ARCHIVE, List.of()).isEmpty(), option);
        }
    }

    @Test
    void notStartedAsAJarKeepsTheServerInThisJvm() {
        assertTrue(ClassArchive.childCommand("java", List.of("-cp", "target/classes", "org.knowmad.Main"), ARCHIVE, List.of()).isEmpty());
        assertTrue(ClassArchive.childCommand("java", List.of("-jar"), ARCHIVE, List.of()).isEmpty());
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
