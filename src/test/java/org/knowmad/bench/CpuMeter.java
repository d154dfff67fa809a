package org.knowmad.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The CPU this JVM and the local PostgreSQL's processes used over a stretch of a benchmark, beside its wall time.
 * A stretch that used much less CPU than the cores had was waiting (a lock, a queue), not working: that told the
 * registration burst's lock hand-overs from its writes (issue #13). PostgreSQL's share is read from {@code /proc}
 * (Linux, a server on this machine; elsewhere it reads 0).
 */
public final class CpuMeter {

    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private final long jvm = jvmMillis();
    private final long postgres = postgresMillis();
    private final long wall = System.nanoTime();

    /** "CPU: this JVM 3,100 ms, PostgreSQL 900 ms in 2,000 ms on 2 cores (100% busy)" since this meter was made. */
    public String report() {
        long j = jvmMillis() - jvm, p = postgresMillis() - postgres, w = Math.max(1, (System.nanoTime() - wall) / 1_000_000);
        return String.format("CPU: this JVM %,d ms, PostgreSQL %,d ms in %,d ms on %d cores (%d%% busy)", j, p, w, CORES,
                (j + p) * 100 / (w * CORES));
    }

    private static long jvmMillis() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1_000_000;
    }

    /** User and system time of every process named postgres (backends that ended in between are not counted). */
    private static long postgresMillis() {
        long ticks = 0;
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) processes::iterator) {
                if (!p.getFileName().toString().chars().allMatch(Character::isDigit)) continue;
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    if (!stat.contains("(postgres)")) continue;
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                } catch (IOException | RuntimeException gone) {
                    // the process ended while we looked
                }
            }
        } catch (IOException | RuntimeException noProc) {
            return 0;
        }
        return ticks * 10; // USER_HZ is 100 on Linux
    }
}
