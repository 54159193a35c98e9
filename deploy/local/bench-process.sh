#!/usr/bin/env bash
# Out-of-process round-trip benchmark (not part of ./mvnw verify): a no-op action called through the host's
# plugin proxy in a child JVM and in a Python child, one call at a time. Arguments: calls=20000 warmup=20000.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec ./mvnw -B -q test-compile org.codehaus.mojo:exec-maven-plugin:3.5.1:exec \
    -Dexec.executable=java -Dexec.classpathScope=test \
    -Dexec.args="${BENCH_JVM_OPTS:--Xmx512m} -cp %classpath io.apexagent.host.bench.ProcessRoundTripBenchmark $*"
