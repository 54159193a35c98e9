#!/usr/bin/env bash
# Kafka action path benchmark (not part of ./mvnw verify): packages the host, then runs
# io.apexagent.host.bench.ActionPathBenchmark, which starts Kafka, OpenBao and PostgreSQL on free ports, one
# host process from target/quarkus-app with the prod profile, and on the same broker a raw consumer -> producer
# pass-through for the baseline and a durable one (the same, recording each request in PostgreSQL as the host's
# idempotency does, one statement per batch, in `durableLoops` loops) for the cost of that record alone.
# Arguments (all optional): requests=20000 warmup=5000 runs=3 rate=0 paced=5000 pacedWarmup=2000 timeout=600
#   durableLoops=2
#   rate>0 adds runs of `paced` requests sent at that fixed rate (req/s), for latency below saturation, after
#   10 s without requests (each server's fixed CPU per second) and `pacedWarmup` requests at that rate.
# Both JVMs run with -XX:-UseDynamicNumberOfCompilerThreads, so that the CPU of their JIT compiler threads (the
# "of which JIT compiler" row) is not lost with a thread that ends; keep it in BENCH_JVM_OPTS if you set that.
# BENCH_HOST_JVM: extra JVM options for the host process, e.g. a JFR recording:
#   BENCH_HOST_JVM='-XX:StartFlightRecording=filename=target/host.jfr,settings=profile' deploy/local/bench-kafka.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q package -DskipTests
exec ./mvnw -B -q org.codehaus.mojo:exec-maven-plugin:3.5.1:exec \
    -Dexec.executable=java -Dexec.classpathScope=test \
    -Dexec.args="${BENCH_JVM_OPTS:--Xmx1g -XX:-UseDynamicNumberOfCompilerThreads} -Dhost.jar=target/quarkus-app/quarkus-run.jar -Dbench.host.jvm='${BENCH_HOST_JVM:-}' -cp %classpath io.apexagent.host.bench.ActionPathBenchmark $*"
