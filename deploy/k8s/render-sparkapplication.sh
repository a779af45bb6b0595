#!/usr/bin/env bash
# Renders deploy/k8s/sparkcae-sparkapplication.yaml: fills ${SPARKCAE_JVM_OPTIONS} from
# conf/jvm.properties (via deploy/jvm-options.sh) and the other ${SPARKCAE_...} placeholders from the
# environment or the defaults below, and prints the manifest.
#   SPARKCAE_IMAGE=registry.example.com/sparkcae:0.1.0 SPARKCAE_RUN_DIR=s3a://bucket/sparkcae/runs/2026-11-23 \
#     deploy/k8s/render-sparkapplication.sh | kubectl apply -f -
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=deploy/jvm-options.sh
source "$root/deploy/jvm-options.sh"

SPARKCAE_COMMAND=${SPARKCAE_COMMAND:-pipeline}
SPARKCAE_RUN_DATE=${SPARKCAE_RUN_DATE:-$(date -u +%F)}
declare -A values=(
  [SPARKCAE_COMMAND]=$SPARKCAE_COMMAND
  [SPARKCAE_NAME]=${SPARKCAE_NAME:-sparkcae-$SPARKCAE_COMMAND-$SPARKCAE_RUN_DATE}
  [SPARKCAE_NAMESPACE]=${SPARKCAE_NAMESPACE:-spark-jobs}
  [SPARKCAE_IMAGE]=${SPARKCAE_IMAGE:-sparkcae:0.1.0}
  [SPARKCAE_RUN_DIR]=${SPARKCAE_RUN_DIR:-s3a://sparkcae/runs/$SPARKCAE_RUN_DATE}
  [SPARKCAE_EXECUTORS]=${SPARKCAE_EXECUTORS:-2}
  [SPARKCAE_EXECUTOR_CORES]=${SPARKCAE_EXECUTOR_CORES:-4}
  [SPARKCAE_EXECUTOR_MEMORY]=${SPARKCAE_EXECUTOR_MEMORY:-8g}
  [SPARKCAE_JVM_OPTIONS]=$(sparkcae_jvm_options "$root")
)
case "${values[SPARKCAE_COMMAND]}" in
  prep|train|encode|pipeline) ;;
  *) echo "render-sparkapplication.sh: SPARKCAE_COMMAND must be prep, train, encode or pipeline" >&2; exit 2 ;;
esac

manifest=$(<"$root/deploy/k8s/sparkcae-sparkapplication.yaml")
for key in "${!values[@]}"; do
  manifest=${manifest//"\${$key}"/${values[$key]}}
done
if [[ "$manifest" == *"\${SPARKCAE_"* ]]; then
  echo "render-sparkapplication.sh: unfilled placeholder in the template" >&2
  exit 2
fi
printf '%s\n' "$manifest"
