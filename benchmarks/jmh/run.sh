#!/usr/bin/env bash
# Builds saliency4j, installs its modules in the local Maven repository, builds benchmarks/jmh/target/benchmarks.jar, and runs
# JMH with the given arguments (default: the whole suite). Examples:
#   benchmarks/jmh/run.sh                                  # everything (about 10 minutes on 2 cores)
#   benchmarks/jmh/run.sh 'Postprocessing|Demo' -rf json   # a subset, results in jmh-result.json
set -euo pipefail
cd "$(dirname "$0")"
platform=-Djavacpp.platform=linux-x86_64
mvn -B -q -f ../../pom.xml "$platform" install -DskipTests
mvn -B -q "$platform" package
export OPENCV_LOG_LEVEL=SILENT
exec java -jar target/benchmarks.jar "$@"
