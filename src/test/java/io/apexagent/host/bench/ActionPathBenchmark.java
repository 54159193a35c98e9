package io.apexagent.host.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.DoubleSupplier;
import java.util.function.ToDoubleFunction;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import io.apexagent.host.testing.HostProcess;
import io.apexagent.host.testing.TestInfrastructure;

/**
 * Benchmark of the Kafka action path (a benchmark, not a test: {@code ./mvnw verify} never runs it). Starts the
 * real servers ({@link TestInfrastructure}) and one host process from the packaged jar ({@link HostProcess}, prod
 * profile), then sends echo requests to {@code apex.actions.requests} and times each until its final record on
 * {@code apex.actions.results}. On the same broker, the same load goes through a {@link RawPassThrough} (a plain
 * consumer → producer with the host's client settings, no host) for the baseline, and through a durable
 * pass-through (the same, recording each request in PostgreSQL as the host's idempotency does, in one statement per
 * batch), which tells what that record alone costs. The sides take turns; each is warmed up first. Run it with {@code deploy/local/bench-kafka.sh}; see README "Benchmarks".
 */
public final class ActionPathBenchmark {

    private static final String REQUESTS = "apex.actions.requests";
    private static final String RESULTS = "apex.actions.results";
    private static final String RAW_REQUESTS = "bench.raw.requests";
    private static final String RAW_RESULTS = "bench.raw.results";
    private static final String DURABLE_REQUESTS = "bench.durable.requests";
    private static final String DURABLE_RESULTS = "bench.durable.results";
    /** As apex.actions.requests/results in kafka/topics.txt. */
    private static final int PARTITIONS = 6;
    /** JVM option that keeps the JIT compiler threads alive from start to end (bench-kafka.sh sets it here too). */
    private static final String KEEP_COMPILER_THREADS = "-XX:-UseDynamicNumberOfCompilerThreads";

    private ActionPathBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, Integer> options = options(args);
        int requests = options.get("requests");
        Duration timeout = Duration.ofSeconds(options.get("timeout"));
        System.out.printf("Action path benchmark, %s, %d cores, %s %s, load average %.1f at start%n", LocalDate.now(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        TestInfrastructure infra = TestInfrastructure.get();
        createRawTopics(infra.kafkaBootstrap());
        // JIT compiler threads that live as long as the JVM, so that their CPU can be told apart (ProcessCpu).
        String hostJvm = (KEEP_COMPILER_THREADS + " " + System.getProperty("bench.host.jvm", "")).strip();
        try (HostProcess host = HostProcess.start("bench-host", Map.of("JAVA_TOOL_OPTIONS", hostJvm));
                RawPassThrough raw = new RawPassThrough("bench-raw", "bench-raw", infra.kafkaBootstrap(), RAW_REQUESTS,
                        RAW_RESULTS, null);
                DurablePassThrough durable = new DurablePassThrough(options.get("durableLoops"), infra.kafkaBootstrap(),
                        infra.jdbcUrl(), DURABLE_REQUESTS, DURABLE_RESULTS);
                LoadDriver driver = new LoadDriver(infra.kafkaBootstrap())) {
            Sides sides = new Sides(driver, raw, durable, host.pid(), ProcessCpu.pidIn(Path.of("target/test-infra/kafka/kafka.pid")),
                    ProcessCpu.pidIn(Path.of("target/test-infra/postgres/postmaster.pid")), timeout);
            System.out.printf("host pid %d ready; warming up with %d requests each%n", host.pid(), options.get("warmup"));
            sides.pair("warm-up", options.get("warmup"), 0);
            List<Sample[]> full = new ArrayList<>();
            for (int run = 1; run <= options.get("runs"); run++) {
                full.add(sides.pair("run " + run + ", full speed", requests, 0));
            }
            print("full speed, " + requests + " requests per run", full);
            if (options.get("rate") > 0) {
                sides.idle(Duration.ofSeconds(10));
                // The paced runs take other paths (one or two records a poll, single-row statements, wake-ups) that
                // the JIT compiler has not optimised yet after the full-speed runs.
                if (options.get("pacedWarmup") > 0) {
                    sides.pair("warm-up, " + options.get("rate") + " req/s", options.get("pacedWarmup"), options.get("rate"));
                }
                List<Sample[]> paced = new ArrayList<>();
                for (int run = 1; run <= options.get("runs"); run++) {
                    paced.add(sides.pair("run " + run + ", " + options.get("rate") + " req/s", options.get("paced"),
                            options.get("rate")));
                }
                print("fixed rate " + options.get("rate") + " req/s, " + options.get("paced") + " requests per run", paced);
            }
        }
        System.exit(0); // the test servers stop in TestInfrastructure's shutdown hook
    }

    /** Runs the same load through the host, then through the raw pass-through, then through the durable one. */
    private record Sides(LoadDriver driver, RawPassThrough raw, DurablePassThrough durable, long hostPid, long brokerPid,
            long databasePid, Duration timeout) {

        private static final long BENCH_PID = ProcessHandle.current().pid();

        Sample[] pair(String label, int count, int rate) {
            Sample host = phase(label, "host", REQUESTS, RESULTS, count, rate, () -> ProcessCpu.millis(hostPid), hostPid);
            Sample direct = phase(label, "raw ", RAW_REQUESTS, RAW_RESULTS, count, rate, raw::cpuMillis, BENCH_PID);
            raw.check();
            Sample recorded = phase(label, "dur ", DURABLE_REQUESTS, DURABLE_RESULTS, count, rate, durable::cpuMillis,
                    BENCH_PID);
            durable.check();
            return new Sample[] {host, direct, recorded};
        }

        /** Prints the CPU each server spends per second with no requests: its fixed cost, in every figure below. */
        void idle(Duration length) throws InterruptedException {
            double hostCpu = ProcessCpu.millis(hostPid);
            double brokerCpu = ProcessCpu.millis(brokerPid);
            double databaseCpu = ProcessCpu.treeMillis(databasePid);
            Thread.sleep(length.toMillis());
            double seconds = length.toMillis() / 1000.0;
            System.out.printf(Locale.ROOT, "%-24s CPU per second with no requests: host %.1f broker %.1f database %.1f ms%n",
                    "idle " + length.toSeconds() + " s", (ProcessCpu.millis(hostPid) - hostCpu) / seconds,
                    (ProcessCpu.millis(brokerPid) - brokerCpu) / seconds,
                    (ProcessCpu.treeMillis(databasePid) - databaseCpu) / seconds);
        }

        /**
         * @param sideCpu CPU milliseconds so far of what passes the requests through: the host, or the raw loop
         * @param jvm     the process whose JIT compiler threads compile that side: the host's, or this one
         */
        private Sample phase(String label, String side, String in, String out, int count, int rate,
                DoubleSupplier sideCpu, long jvm) {
            String prefix = "b" + UUID.randomUUID().toString().substring(0, 8);
            double jitCpu = ProcessCpu.threadsMillis(jvm, ProcessCpu::jitCompiler);
            HostThreads hostThreads = jvm == hostPid ? HostThreads.since(hostPid) : null;
            double ownCpu = sideCpu.getAsDouble();
            double brokerCpu = ProcessCpu.millis(brokerPid);
            double databaseCpu = ProcessCpu.treeMillis(databasePid);
            double benchCpu = ProcessCpu.millis(BENCH_PID);
            double passThroughCpu = raw.cpuMillis() + durable.cpuMillis();
            LoadDriver.Phase phase = driver.run(in, out, prefix, count, rate, timeout);
            // This JVM runs the load driver and both pass-throughs; the driver's share is what they did not use.
            double driverCpu = ProcessCpu.millis(BENCH_PID) - benchCpu - (raw.cpuMillis() + durable.cpuMillis()
                    - passThroughCpu);
            Sample sample = new Sample(phase, (sideCpu.getAsDouble() - ownCpu) / count,
                    (ProcessCpu.millis(brokerPid) - brokerCpu) / count,
                    (ProcessCpu.treeMillis(databasePid) - databaseCpu) / count, driverCpu / count,
                    (ProcessCpu.threadsMillis(jvm, ProcessCpu::jitCompiler) - jitCpu) / count);
            System.out.printf(Locale.ROOT, "%-24s %s: %8.0f req/s (sent at %6.0f/s)  p50 %7.1f  p99 %7.1f  max %7.1f ms"
                    + "  CPU/req %s %.3f broker %.3f database %.3f driver %.3f JIT %.3f ms%s%n", label, side,
                    phase.throughput(), phase.sendRate(), phase.latencyMs(0.5), phase.latencyMs(0.99), phase.latencyMs(1),
                    side.trim(), sample.ownCpuMs, sample.brokerCpuMs, sample.databaseCpuMs, sample.driverCpuMs,
                    sample.jitCpuMs,
                    phase.errors().isEmpty() ? "" : "  errors " + phase.errors());
            if (hostThreads != null) {
                System.out.printf(Locale.ROOT, "%-24s host threads, CPU ms/request: %s%n", "", hostThreads.perRequest(count));
            }
            return sample;
        }
    }

    /**
     * CPU per request over one phase: of the side under test (the host process, or a pass-through's own threads),
     * the broker, PostgreSQL (postmaster and backends), and the load driver. On one machine, throughput at full
     * speed goes with the inverse of their sum. {@code jitCpuMs} is the part of it spent by the JIT compiler threads
     * of the JVM running the side: the host's, within its own CPU; this benchmark's, for a pass-through, within the
     * load driver's (it compiles the driver and the pass-throughs alike).
     */
    private record Sample(LoadDriver.Phase phase, double ownCpuMs, double brokerCpuMs, double databaseCpuMs,
            double driverCpuMs, double jitCpuMs) {

        double allCpuMs() {
            return ownCpuMs + brokerCpuMs + databaseCpuMs + driverCpuMs;
        }
    }

    private static void print(String title, List<Sample[]> runs) {
        System.out.printf("%n%s: median (min-max) of %d runs%n", title, runs.size());
        System.out.printf("| %-26s | %-24s | %-24s | %-24s | %-24s | %-24s | %-24s |%n", "metric", "host",
                "raw pass-through", "durable pass-through", "host vs raw", "durable vs raw", "host vs durable");
        System.out.printf("|%s|%s|%s|%s|%s|%s|%s|%n", "-".repeat(28), "-".repeat(26), "-".repeat(26), "-".repeat(26),
                "-".repeat(26), "-".repeat(26), "-".repeat(26));
        row(runs, "throughput req/s", "%.0f", s -> s.phase().throughput(), (h, r) -> h / r, "ratio %.2f");
        row(runs, "latency p50 ms", "%.1f", s -> s.phase().latencyMs(0.5), (h, r) -> h - r, "%+.1f ms");
        row(runs, "latency p99 ms", "%.1f", s -> s.phase().latencyMs(0.99), (h, r) -> h - r, "%+.1f ms");
        row(runs, "latency max ms", "%.1f", s -> s.phase().latencyMs(1), (h, r) -> h - r, "%+.1f ms");
        row(runs, "own CPU ms/request", "%.3f", Sample::ownCpuMs, (h, r) -> h - r, "%+.3f");
        row(runs, "broker CPU ms/request", "%.3f", Sample::brokerCpuMs, (h, r) -> h - r, "%+.3f");
        row(runs, "database CPU ms/request", "%.3f", Sample::databaseCpuMs, (h, r) -> h - r, "%+.3f");
        row(runs, "load driver CPU ms/request", "%.3f", Sample::driverCpuMs, (h, r) -> h - r, "%+.3f");
        row(runs, "all CPU ms/request", "%.3f", Sample::allCpuMs, (h, r) -> h - r, "%+.3f");
        row(runs, "of which JIT compiler", "%.3f", Sample::jitCpuMs, (h, r) -> h - r, "%+.3f");
    }

    private static void row(List<Sample[]> runs, String metric, String format, ToDoubleFunction<Sample> value,
            java.util.function.DoubleBinaryOperator compare, String compareFormat) {
        List<Double> host = new ArrayList<>();
        List<Double> raw = new ArrayList<>();
        List<Double> durable = new ArrayList<>();
        List<Double> hostVsRaw = new ArrayList<>();
        List<Double> durableVsRaw = new ArrayList<>();
        List<Double> hostVsDurable = new ArrayList<>();
        for (Sample[] run : runs) {
            double h = value.applyAsDouble(run[0]);
            double r = value.applyAsDouble(run[1]);
            double d = value.applyAsDouble(run[2]);
            host.add(h);
            raw.add(r);
            durable.add(d);
            hostVsRaw.add(compare.applyAsDouble(h, r));
            durableVsRaw.add(compare.applyAsDouble(d, r));
            hostVsDurable.add(compare.applyAsDouble(h, d));
        }
        System.out.printf("| %-26s | %-24s | %-24s | %-24s | %-24s | %-24s | %-24s |%n", metric, spread(host, format),
                spread(raw, format), spread(durable, format), spread(hostVsRaw, compareFormat),
                spread(durableVsRaw, compareFormat), spread(hostVsDurable, compareFormat));
    }

    private static String spread(List<Double> values, String format) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        String plain = format.replace("ratio ", "").replace("+", "").replace(" ms", "");
        return String.format(Locale.ROOT, format, median) + " (" + String.format(Locale.ROOT, plain, sorted.get(0))
                + "-" + String.format(Locale.ROOT, plain, sorted.get(n - 1)) + ")";
    }

    private static void createRawTopics(String bootstrap) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(List.of(new NewTopic(RAW_REQUESTS, PARTITIONS, (short) 1),
                    new NewTopic(RAW_RESULTS, PARTITIONS, (short) 1), new NewTopic(DURABLE_REQUESTS, PARTITIONS, (short) 1),
                    new NewTopic(DURABLE_RESULTS, PARTITIONS, (short) 1))).all().get();
        }
    }

    private static Map<String, Integer> options(String[] args) {
        Map<String, Integer> options = new HashMap<>(Map.of("requests", 20000, "warmup", 5000, "runs", 3, "rate", 0,
                "paced", 5000, "pacedWarmup", 2000, "timeout", 600, "durableLoops", 2));
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            if (kv.length != 2 || !options.containsKey(kv[0])) {
                throw new IllegalArgumentException("unknown argument '" + arg + "'; expected any of "
                        + options.keySet() + " as key=number, e.g. requests=20000");
            }
            options.put(kv[0], Integer.parseInt(kv[1]));
        }
        return options;
    }
}
