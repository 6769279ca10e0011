#!/usr/bin/env bash
# Builds and runs the embedding example against the saliency4j modules in the local Maven repository (run
# `mvn install` at the repository's root first), and fails when its dependency tree holds what a service must not
# be handed by a library: an HTTP server, a command-line parser, a terminal library, metrics, or a logging binding.
set -euo pipefail
cd "$(dirname "$0")"
tree=$(mvn -B -q dependency:tree -DoutputFile=/dev/stdout)
echo "$tree"
forbidden='org\.eclipse\.jetty|info\.picocli|org\.jline|jline:|me\.tongfei|io\.prometheus|slf4j-(simple|reload4j|log4j12|jdk14|nop|jcl)|logback-classic|log4j-slf4j|log4j-slf4j2'
if grep -E "$forbidden" <<< "$tree"; then
  echo "examples/embed: the dependency tree above holds a dependency a library must not bring (lines shown)" >&2
  exit 1
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mvn -B -q compile exec:java -Dexec.args="$dir/saliency.png"
if [ "$(head -c 8 "$dir/saliency.png" | od -An -tx1 | tr -d ' \n')" != 89504e470d0a1a0a ]; then
  echo "examples/embed: no PNG was written" >&2
  exit 1
fi
echo "examples/embed: built, ran, wrote a PNG; its dependency tree is clean"
