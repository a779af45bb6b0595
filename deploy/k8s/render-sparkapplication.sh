#!/usr/bin/env bash
# Renders deploy/k8s/sparkcae-sparkapplication.yaml: fills ${SPARKCAE_JVM_OPTIONS} from
# conf/jvm.properties (via deploy/jvm-options.sh) and the other ${SPARKCAE_...} placeholders from the
# environment or the defaults below, and prints the manifest.
#   SPARKCAE_IMAGE=registry.example.com/sparkcae:0.1.0 SPARKCAE_RUN_DIR=s3a://bucket/sparkcae/runs/2026-11-23 \
#     deploy/k8s/render-sparkapplication.sh | kubectl apply -f -
#   SPARKCAE_COMMAND=train SPARKCAE_RESUME=on deploy/k8s/render-sparkapplication.sh     # train --resume
#   SPARKCAE_COMMAND=score SPARKCAE_MODEL=s3a://bucket/sparkcae/runs/2026-11-20/train \
#     deploy/k8s/render-sparkapplication.sh                                            # score --model ...
#   SPARKCAE_COMMAND=reassemble SPARKCAE_EXTRA_ARGS="--what residuals --format png" deploy/k8s/render-sparkapplication.sh
# The stage arguments go where the template's sparkcae-stage-arguments line is, one list item each.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=deploy/jvm-options.sh
source "$root/deploy/jvm-options.sh"
# shellcheck source=deploy/env-check.sh
source "$root/deploy/env-check.sh"

# Every value lands in YAML: each is checked against a pattern (no newline, quote or YAML syntax gets in).
k8s_name='[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?'
sparkcae_env SPARKCAE_COMMAND pipeline 'prep|train|encode|score|rom|reassemble|report|pipeline' \
  "prep, train, encode, score, rom, reassemble, report or pipeline"
sparkcae_env SPARKCAE_RESUME off 'on|off' "on or off"
sparkcae_env SPARKCAE_MODEL '' '|[A-Za-z0-9._~/:@+=-]+' "a model directory path or URI"
sparkcae_env SPARKCAE_DATA '' '|[A-Za-z0-9._~/:@+=-]+' "an input path or URI"
sparkcae_env SPARKCAE_EXTRA_ARGS '' '|[A-Za-z0-9._~/:@+=,-]+( [A-Za-z0-9._~/:@+=,-]+)*' \
  "sparkcae options separated by single spaces, e.g. --set train.epochs=5"
sparkcae_env SPARKCAE_RUN_DATE "$(date -u +%F)" '[0-9]{4}-[0-9]{2}-[0-9]{2}' "a date such as 2026-11-23"
sparkcae_env SPARKCAE_NAME "sparkcae-$SPARKCAE_COMMAND-$SPARKCAE_RUN_DATE" "$k8s_name" "a Kubernetes object name"
sparkcae_env SPARKCAE_NAMESPACE spark-jobs "$k8s_name" "a Kubernetes namespace"
sparkcae_env SPARKCAE_IMAGE sparkcae:0.1.0 '[A-Za-z0-9._/:@-]+' "an image reference such as registry/sparkcae:0.1.0"
sparkcae_env SPARKCAE_RUN_DIR "s3a://sparkcae/runs/$SPARKCAE_RUN_DATE" '[A-Za-z0-9._~/:@+=-]+' "a path or URI"
sparkcae_env SPARKCAE_EXECUTORS 2 "$SPARKCAE_RE_COUNT" "an executor count such as 2"
sparkcae_env SPARKCAE_EXECUTOR_CORES 4 "$SPARKCAE_RE_COUNT" "a core count such as 4"
sparkcae_env SPARKCAE_EXECUTOR_MEMORY 8g "$SPARKCAE_RE_SIZE" "a size such as 8g or 8192m"
sparkcae_env SPARKCAE_SPARK_SECURITY on 'on|off' "on or off"
sparkcae_env SPARKCAE_K8S_AUTH_SECRET sparkcae-spark-auth "$k8s_name" "a Kubernetes Secret name"
# Each option only where the command takes it: a misplaced one would fail in the driver with exit 2.
stage_error() {
  printf 'sparkcae: error: %s\n' "$1" >&2
  exit 2
}
stage_args=()
if [[ "$SPARKCAE_RESUME" == on ]]; then
  [[ "$SPARKCAE_COMMAND" == train ]] || stage_error "SPARKCAE_RESUME=on: only train takes --resume, not $SPARKCAE_COMMAND"
  stage_args+=(--resume)
fi
if [[ -n "$SPARKCAE_MODEL" ]]; then
  [[ "$SPARKCAE_COMMAND" =~ ^(encode|score|rom)$ ]] ||
    stage_error "SPARKCAE_MODEL: only encode, score and rom take --model, not $SPARKCAE_COMMAND"
  stage_args+=(--model "$SPARKCAE_MODEL")
fi
if [[ -n "$SPARKCAE_DATA" ]]; then
  [[ "$SPARKCAE_COMMAND" =~ ^(prep|pipeline)$ ]] ||
    stage_error "SPARKCAE_DATA: only prep and pipeline read input data, not $SPARKCAE_COMMAND"
  stage_args+=(--data "$SPARKCAE_DATA")
fi
if [[ -n "$SPARKCAE_EXTRA_ARGS" ]]; then
  read -r -a extra <<<"$SPARKCAE_EXTRA_ARGS"
  stage_args+=("${extra[@]}")
fi
# quoted YAML scalars: the patterns above keep quotes and backslashes out
stage_yaml=""
for arg in ${stage_args[@]+"${stage_args[@]}"}; do
  stage_yaml+="    - \"$arg\""$'\n'
done

declare -A values=(
  [SPARKCAE_COMMAND]=$SPARKCAE_COMMAND
  [SPARKCAE_NAME]=$SPARKCAE_NAME
  [SPARKCAE_NAMESPACE]=$SPARKCAE_NAMESPACE
  [SPARKCAE_IMAGE]=$SPARKCAE_IMAGE
  [SPARKCAE_RUN_DIR]=$SPARKCAE_RUN_DIR
  [SPARKCAE_EXECUTORS]=$SPARKCAE_EXECUTORS
  [SPARKCAE_EXECUTOR_CORES]=$SPARKCAE_EXECUTOR_CORES
  [SPARKCAE_EXECUTOR_MEMORY]=$SPARKCAE_EXECUTOR_MEMORY
  [SPARKCAE_JVM_OPTIONS]=$(sparkcae_jvm_options "$root")
  [SPARKCAE_K8S_AUTH_SECRET]=$SPARKCAE_K8S_AUTH_SECRET
  [SPARKCAE_SPARK_SECURITY_ENABLED]=$([[ "$SPARKCAE_SPARK_SECURITY" == on ]] && echo true || echo false)
)

manifest=$(<"$root/deploy/k8s/sparkcae-sparkapplication.yaml")
if [[ "$SPARKCAE_SPARK_SECURITY" == off ]]; then
  manifest=$(grep -v -- '# sparkcae-security' <<<"$manifest")
fi
for key in "${!values[@]}"; do
  manifest=${manifest//"\${$key}"/${values[$key]}}
done
marker='    # sparkcae-stage-arguments'$'\n'
if [[ "$manifest" != *"$marker"* ]]; then
  echo "render-sparkapplication.sh: no sparkcae-stage-arguments line in the template" >&2
  exit 2
fi
manifest=${manifest/"$marker"/"$stage_yaml"}
if [[ "$manifest" == *"\${SPARKCAE_"* ]]; then
  echo "render-sparkapplication.sh: unfilled placeholder in the template" >&2
  exit 2
fi
printf '%s\n' "$manifest"
