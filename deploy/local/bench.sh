#!/usr/bin/env bash
# Plugin discovery + load benchmark (not part of ./mvnw verify): compiles the test classes, then runs
# io.apexagent.host.bench.PluginLoadBenchmark in its own JVM so that heap and RSS are the host's alone.
# Arguments (all optional): plugins=1000 runs=5 warmup=2 sources=100 (sources=0 skips the .java part).
set -euo pipefail
cd "$(dirname "$0")/../.."
exec ./mvnw -B -q test-compile org.codehaus.mojo:exec-maven-plugin:3.5.1:exec \
    -Dexec.executable=java -Dexec.classpathScope=test \
    -Dexec.args="${BENCH_JVM_OPTS:--Xmx1g} -cp %classpath io.apexagent.host.bench.PluginLoadBenchmark $*"
