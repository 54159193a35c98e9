package io.apexagent.host.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/** CPU time of another process from {@code /proc/<pid>/stat} (Linux; 0 elsewhere). */
final class ProcessCpu {

    /** Clock ticks per second of utime/stime; 100 on every common Linux build. */
    private static final double TICKS_PER_MS = 0.1;

    private ProcessCpu() {
    }

    /** @return user + system CPU time of {@code pid} in milliseconds, or 0 when it cannot be read */
    static double millis(long pid) {
        String[] fields = statFields(pid);
        return fields == null ? 0 : ticks(fields, 11, 12) / TICKS_PER_MS;
    }

    /**
     * CPU time of a server made of a parent and its child processes, such as PostgreSQL's postmaster and its
     * backends: the parent's own, that of its running children, and that of the children it has reaped.
     *
     * @return milliseconds, or 0 when the parent cannot be read
     */
    static double treeMillis(long parent) {
        String[] own = statFields(parent);
        if (own == null) {
            return 0;
        }
        // utime 14, stime 15, cutime 16, cstime 17 (1-based, counted from the pid).
        double ticks = ticks(own, 11, 12) + ticks(own, 13, 14);
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                String[] fields = statFields(Long.parseLong(process.getFileName().toString()));
                // ppid is field 4.
                if (fields != null && Long.parseLong(fields[1]) == parent) {
                    ticks += ticks(fields, 11, 12);
                }
            }
        } catch (IOException | RuntimeException e) {
            return ticks / TICKS_PER_MS;
        }
        return ticks / TICKS_PER_MS;
    }

    /**
     * CPU time of the threads of {@code pid} whose name ({@code /proc/<pid>/task/<tid>/comm}, at most 15 characters)
     * {@code threads} accepts. A thread that ended takes its time with it: count only threads that live as long as
     * the process, such as a JVM's JIT compiler threads with {@code -XX:-UseDynamicNumberOfCompilerThreads}.
     *
     * @return milliseconds, or 0 when the process cannot be read
     */
    static double threadsMillis(long pid, Predicate<String> threads) {
        return byThread(pid, name -> threads.test(name) ? "" : null).getOrDefault("", 0.0);
    }

    /**
     * CPU time of the threads of {@code pid}, summed by group. As with {@link #threadsMillis}, a thread that ended
     * takes its time with it.
     *
     * @param group a thread's group from its name (at most 15 characters), or null to leave it out
     * @return milliseconds per group; empty when the process cannot be read
     */
    static Map<String, Double> byThread(long pid, Function<String, String> group) {
        Map<String, Double> millis = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                String name = readOrNull(task.resolve("comm"));
                String in = name == null ? null : group.apply(name.strip());
                String[] fields = in == null ? null : statFields(task.resolve("stat"));
                if (fields != null) {
                    millis.merge(in, ticks(fields, 11, 12) / TICKS_PER_MS, Double::sum);
                }
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return millis;
    }

    /** @return whether {@code threadName} is one of a HotSpot JVM's JIT compiler threads */
    static boolean jitCompiler(String threadName) {
        return threadName.startsWith("C1 CompilerThre") || threadName.startsWith("C2 CompilerThre");
    }

    /** @return the file's text, or null if it is gone (a thread that ended) or unreadable */
    private static String readOrNull(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return null;
        }
    }

    /** @return the fields of {@code /proc/<pid>/stat} after the command name (state first), or null */
    private static String[] statFields(long pid) {
        return statFields(Path.of("/proc", Long.toString(pid), "stat"));
    }

    /**
     * @param stat a process's or a thread's stat file ({@code /proc/<pid>/stat}, {@code /proc/<pid>/task/<tid>/stat})
     * @return its fields after the command name (state first), or null if it is gone (a thread that ended) or unreadable
     */
    private static String[] statFields(Path stat) {
        try {
            String text = Files.readString(stat);
            return text.substring(text.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long ticks(String[] fields, int user, int system) {
        return Long.parseLong(fields[user]) + Long.parseLong(fields[system]);
    }

    /** @return the pid on the first line of {@code file} (a pid file, or PostgreSQL's postmaster.pid), or -1 */
    static long pidIn(Path file) {
        try {
            return Long.parseLong(Files.readString(file).lines().findFirst().orElse("").trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }
}
