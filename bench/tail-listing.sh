#!/usr/bin/env bash
# Listing requests per poll and state size: hour-prefix tail (and load-balancer day-folder tail)
# vs FileIO.match().continuously(),
# for 10 000 and 100 000 files over 30 days in one bucket of a local S3Proxy.
# Usage: bench/tail-listing.sh [files ...]     (from the repository root; Java 17 + Maven)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q ${MVN_OFFLINE:-} test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
CP="target/classes:target/test-classes:$(cat target/bench.classpath)"
mkdir -p target/bench-classes
javac -d target/bench-classes -cp "$CP" bench/TailListingBenchmark.java
exec java -Xmx2g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "target/bench-classes:$CP" TailListingBenchmark "$@"
