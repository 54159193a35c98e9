package io.apexagent.host.plugin.runtime;

import java.lang.management.ManagementFactory;

/**
 * CPU time and allocated bytes of threads, from the JVM's {@code com.sun.management.ThreadMXBean}. Both counters
 * are per thread and only grow, so the use of a call is the difference between two readings of the thread that
 * ran it. Thread-safe.
 */
final class ThreadUsage {

    private static final com.sun.management.ThreadMXBean MX = mxBean();

    private ThreadUsage() {
    }

    /** @return whether this JVM measures per-thread CPU time and allocations (HotSpot does) */
    static boolean supported() {
        return MX != null;
    }

    /** @return CPU time of {@code thread} in ns, or -1 if it has ended or the JVM cannot tell */
    static long cpuNanos(Thread thread) {
        return MX == null ? -1 : MX.getThreadCpuTime(thread.getId());
    }

    /** @return bytes allocated so far by {@code thread}, or -1 if it has ended or the JVM cannot tell */
    static long allocatedBytes(Thread thread) {
        return MX == null ? -1 : MX.getThreadAllocatedBytes(thread.getId());
    }

    /** @return CPU time of the calling thread in ns (cheaper than asking by id) */
    static long currentCpuNanos() {
        return MX == null ? 0 : MX.getCurrentThreadCpuTime();
    }

    /** @return bytes allocated so far by the calling thread */
    static long currentAllocatedBytes() {
        return MX == null ? 0 : MX.getCurrentThreadAllocatedBytes();
    }

    private static com.sun.management.ThreadMXBean mxBean() {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean mx)
                || !mx.isThreadCpuTimeSupported() || !mx.isThreadAllocatedMemorySupported()) {
            return null;
        }
        mx.setThreadCpuTimeEnabled(true);
        mx.setThreadAllocatedMemoryEnabled(true);
        return mx;
    }
}
