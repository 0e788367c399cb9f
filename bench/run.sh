#!/usr/bin/env bash
# One-command benchmark: bench/run.sh [--servers=230000 --from=2026-10-01 --to=2026-10-03 --pushRequestsPerHour=60000 ...]
# Builds the job jar if missing, compiles the bench harness against it, runs every measurement in
# its own JVM, prints the table and writes bench/results/<date>.md.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f target/dw-pipelines.jar ]; then
  mvn -B -q -DskipTests package
fi
mkdir -p bench/target/classes
javac -cp target/dw-pipelines.jar -d bench/target/classes bench/src/dw/bench/*.java
# Flink finds metric reporter factories through the ServiceLoader (TotalsSpread's per-subtask counts)
mkdir -p bench/target/classes/META-INF/services
echo 'dw.bench.RecordsInReporter$Factory' > bench/target/classes/META-INF/services/org.apache.flink.metrics.reporter.MetricReporterFactory
exec java -cp target/dw-pipelines.jar:bench/target/classes dw.bench.Bench "$@"
