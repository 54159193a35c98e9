package io.apexagent.host.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time of another process from {@code /proc/<pid>/stat} (Linux; 0 elsewhere). */
final class ProcessCpu {

    /** Clock ticks per second of utime/stime; 100 on every common Linux build. */
    private static final double TICKS_PER_MS = 0.1;

    private ProcessCpu() {
    }

    /** @return user + system CPU time of {@code pid} in milliseconds, or 0 when it cannot be read */
    static double millis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_MS;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** @return the pid in {@code file}, or -1 */
    static long pidIn(Path file) {
        try {
            return Long.parseLong(Files.readString(file).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }
}
