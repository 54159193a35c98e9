package io.apexagent.host.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Memory readings of this JVM after the heap has settled: used heap, Metaspace, loaded classes and the
 * process's resident set (Linux {@code /proc/self/status}). Not thread-safe; the benchmark runs on one thread.
 */
final class HeapProbe {

    private static final int MAX_GCS = 12;

    private HeapProbe() {
    }

    /**
     * One reading.
     *
     * @param heapUsed      used heap after full collections, bytes
     * @param metaspaceUsed used Metaspace, bytes (class metadata lives there, not on the heap)
     * @param loadedClasses classes currently loaded
     * @param rss           resident set size of the process, bytes (-1 when unknown)
     */
    record Reading(long heapUsed, long metaspaceUsed, int loadedClasses, long rss) {
    }

    /** Collects until used heap stops shrinking (under 0.5 % between two full GCs), then reads. */
    static Reading settle() {
        long previous = Long.MAX_VALUE;
        for (int i = 0; i < MAX_GCS; i++) {
            System.gc();
            pause();
            long used = heapUsed();
            if (used <= previous && previous - used < previous / 200) {
                break;
            }
            previous = used;
        }
        return new Reading(heapUsed(), metaspaceUsed(), ManagementFactory.getClassLoadingMXBean().getLoadedClassCount(),
                rss());
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long metaspaceUsed() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getName().equals("Metaspace"))
                .mapToLong(pool -> pool.getUsage().getUsed())
                .sum();
    }

    private static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** Gives reference processing and class unloading (both after the collection) a moment to finish. */
    private static void pause() {
        try {
            Thread.sleep(40);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
