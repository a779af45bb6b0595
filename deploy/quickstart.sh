#!/usr/bin/env bash
# README's first command: install the real Fashion-MNIST (Debian package), build, and run the whole
# pipeline (prep -> train -> encode -> score -> report) on the embedded default: Spark local mode, no
# cluster. Its last line is the report to open: "Open file:///.../runs/quickstart/report/v<N>.<hex>/report.html".
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SUDO=""
[[ $(id -u) -eq 0 ]] || SUDO=sudo
if [[ ! -d /usr/share/datasets/fashion-mnist ]]; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq dataset-fashion-mnist
fi
cd "$ROOT"
mvn -q -B -DskipTests package
exec deploy/sparkcae pipeline --run-dir "${RUN_DIR:-runs/quickstart}" --if-exists overwrite "$@"
