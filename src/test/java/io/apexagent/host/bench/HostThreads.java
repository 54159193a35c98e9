package io.apexagent.host.bench;

import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * The host process's CPU by kind of thread, from {@code /proc/<pid>/task} ({@link ProcessCpu#byThread}): where its
 * CPU per request goes in one phase of the action path benchmark. Linux truncates thread names to 15 characters,
 * which is what the groups match. Threads that end during a phase (idle worker threads) take their time with them,
 * so the groups may add up to a little less than the process.
 */
final class HostThreads {

    /** Groups by the start of a thread's (truncated) name; prefixes do not overlap. */
    private static final Map<String, String> GROUP_BY_PREFIX = Map.of(
            "vert.x-eventloo", "event-loop",
            "apex-request-po", "request-poller",
            "apex-result-sen", "result-sender",
            "kafka-producer-", "producer-io",
            "executor-thread", "worker-pool",
            "plugin-", "plugin",
            "GC Thread", "GC",
            "G1 ", "GC");

    private final long pid;
    private final Map<String, Double> start;

    private HostThreads(long pid, Map<String, Double> start) {
        this.pid = pid;
        this.start = start;
    }

    /** @return the host's CPU by group so far, to be compared with {@link #perRequest} at the end of a phase */
    static HostThreads since(long pid) {
        return new HostThreads(pid, ProcessCpu.byThread(pid, HostThreads::group));
    }

    /** @return e.g. "event loop 0.041 poller 0.020 …" in ms per request since {@link #since}, largest first */
    String perRequest(int requests) {
        Map<String, Double> now = ProcessCpu.byThread(pid, HostThreads::group);
        Map<Double, String> byCost = new TreeMap<>(Comparator.reverseOrder());
        now.forEach((group, millis) -> byCost.merge((millis - start.getOrDefault(group, 0.0)) / requests, group,
                (a, b) -> a + ", " + b));
        StringJoiner line = new StringJoiner(" ");
        byCost.forEach((ms, group) -> line.add(String.format(Locale.ROOT, "%s %.3f", group, ms)));
        return line.toString();
    }

    /** @return the group of a thread, by its (truncated) name */
    static String group(String thread) {
        if (ProcessCpu.jitCompiler(thread)) {
            return "JIT";
        }
        return GROUP_BY_PREFIX.entrySet().stream().filter(prefix -> thread.startsWith(prefix.getKey()))
                .map(Map.Entry::getValue).findFirst().orElse("other");
    }
}
