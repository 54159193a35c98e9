#!/usr/bin/env bash
# In-process dispatch benchmark (JMH, not part of ./mvnw verify): round trip of a no-op action through
# ActionDispatcher vs a direct call of the plugin method. Extra arguments go to JMH (e.g. -f 2 -i 10).
set -euo pipefail
cd "$(dirname "$0")/../.."
exec ./mvnw -B -q test-compile org.codehaus.mojo:exec-maven-plugin:3.5.1:exec \
    -Dexec.executable=java -Dexec.classpathScope=test \
    -Dexec.args="-cp %classpath org.openjdk.jmh.Main io.apexagent.host.bench.DispatchBenchmark $*"
