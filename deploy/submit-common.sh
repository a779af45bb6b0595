# shellcheck shell=bash
# shellcheck disable=SC2034  # SPARKCAE_MAIN_CLASS, GPU_CONF, ... are read by the scripts that source this
# Sourced by deploy/submit-standalone.sh, submit-yarn.sh and submit-k8s.sh: what every cluster
# submission of the application jar shares. Not meant to be run on its own.
#
# Each script is called as   <script> [spark-submit options] -- <sparkcae command and options>
# Environment (all optional):
#   SPARK_SUBMIT                 spark-submit to run (default: $SPARK_HOME/bin/spark-submit, else spark-submit)
#   SPARKCAE_APP_JAR             the application jar (default: spark-jobs/target/sparkcae-app.jar)
#   SPARKCAE_EXECUTOR_THREADS    OMP_NUM_THREADS of executors (default 1: every core runs a task)
#   SPARKCAE_DRIVER_THREADS      OMP_NUM_THREADS of a cluster-mode driver (default 1)
#   SPARKCAE_EXTRA_JAVA_OPTIONS  appended to the flags of conf/jvm.properties (driver and executors)
#   SPARKCAE_DRY_RUN=1           print the spark-submit command line instead of running it

SPARKCAE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=deploy/jvm-options.sh
source "$SPARKCAE_ROOT/deploy/jvm-options.sh"

SPARKCAE_MAIN_CLASS=io.sparkcae.jobs.cli.SparkCaeCli
if [[ -z "${SPARK_SUBMIT:-}" ]]; then
  if [[ -n "${SPARK_HOME:-}" ]]; then SPARK_SUBMIT="$SPARK_HOME/bin/spark-submit"; else SPARK_SUBMIT=spark-submit; fi
fi
SPARKCAE_APP_JAR=${SPARKCAE_APP_JAR:-$SPARKCAE_ROOT/spark-jobs/target/sparkcae-app.jar}

# Fails with the build command when the application jar is missing (local paths only).
sparkcae_require_app_jar() {
  case "$SPARKCAE_APP_JAR" in
    *://*|local:*) return 0 ;;
  esac
  if [[ ! -f "$SPARKCAE_APP_JAR" ]]; then
    echo "$(basename "$0"): $SPARKCAE_APP_JAR not found; build it with: mvn -B -DskipTests -Papp-jar package" >&2
    exit 2
  fi
}

# Splits the script's arguments at "--" into SUBMIT_ARGS (spark-submit) and APP_ARGS (sparkcae).
sparkcae_split_args() {
  SUBMIT_ARGS=()
  APP_ARGS=()
  while [[ $# -gt 0 && "$1" != "--" ]]; do SUBMIT_ARGS+=("$1"); shift; done
  if [[ $# -eq 0 ]]; then
    echo "usage: $(basename "$0") [spark-submit options] -- <prep|train|encode|pipeline> [sparkcae options]" >&2
    exit 2
  fi
  shift
  APP_ARGS=("$@")
  if [[ ${#APP_ARGS[@]} -eq 0 ]]; then
    echo "$(basename "$0"): no sparkcae command after --" >&2
    exit 2
  fi
}

# Value of a spark-submit option in SUBMIT_ARGS ("--opt v" or "--opt=v"); $2 when absent.
sparkcae_submit_opt() {
  local name="$1" fallback="${2:-}" i
  for ((i = 0; i < ${#SUBMIT_ARGS[@]}; i++)); do
    case "${SUBMIT_ARGS[$i]}" in
      "$name") echo "${SUBMIT_ARGS[$((i + 1))]:-}"; return ;;
      "$name"=*) echo "${SUBMIT_ARGS[$i]#*=}"; return ;;
    esac
  done
  echo "$fallback"
}

# Removes a spark-submit option (and its value) from SUBMIT_ARGS.
sparkcae_drop_submit_opt() {
  local name="$1" i kept=()
  for ((i = 0; i < ${#SUBMIT_ARGS[@]}; i++)); do
    case "${SUBMIT_ARGS[$i]}" in
      "$name") i=$((i + 1)) ;;
      "$name"=*) ;;
      *) kept+=("${SUBMIT_ARGS[$i]}") ;;
    esac
  done
  SUBMIT_ARGS=("${kept[@]}")
}

# Value of a sparkcae option in APP_ARGS ("--opt v" or "--opt=v"); $2 when absent.
sparkcae_app_opt() {
  local name="$1" fallback="${2:-}" i
  for ((i = 0; i < ${#APP_ARGS[@]}; i++)); do
    case "${APP_ARGS[$i]}" in
      "$name") echo "${APP_ARGS[$((i + 1))]:-}"; return ;;
      "$name"=*) echo "${APP_ARGS[$i]#*=}"; return ;;
    esac
  done
  echo "$fallback"
}

# The log4j2 configuration file name for --log-format (the CLI switches the driver itself; executors
# start before it runs, so the submit scripts hand them the matching file).
sparkcae_log_config_name() {
  case "$(sparkcae_app_opt --log-format text | tr '[:upper:]' '[:lower:]')" in
    json) echo log4j2-json.properties ;;
    *) echo log4j2.properties ;;
  esac
}

# The JVM flags (conf/jvm.properties, the one place) plus SPARKCAE_EXTRA_JAVA_OPTIONS and, if given,
# a log4j2 configuration: sparkcae_java_options [LOG4J2_CONFIG]
sparkcae_java_options() {
  local opts
  opts=$(sparkcae_jvm_options "$SPARKCAE_ROOT")
  if [[ -n "${1:-}" ]]; then opts="$opts -Dlog4j2.configurationFile=$1"; fi
  if [[ -n "${SPARKCAE_EXTRA_JAVA_OPTIONS:-}" ]]; then opts="$opts $SPARKCAE_EXTRA_JAVA_OPTIONS"; fi
  echo "$opts"
}

# Runs (or with SPARKCAE_DRY_RUN=1 prints) the final command.
sparkcae_exec() {
  if [[ "${SPARKCAE_DRY_RUN:-0}" == 1 ]]; then
    printf '%q ' "$@"
    echo
    exit 0
  fi
  exec "$@"
}

# Spark GPU scheduling (spark.executor/task.resource.gpu.*) when SPARKCAE_GPUS_PER_EXECUTOR > 0:
# fills GPU_CONF. $1: path of deploy/gpu/discover-gpus.sh as the executors see it
# (SPARKCAE_GPU_DISCOVERY_SCRIPT overrides). SPARKCAE_GPUS_PER_TASK defaults to 1.
sparkcae_gpu_conf() {
  GPU_CONF=()
  local gpus="${SPARKCAE_GPUS_PER_EXECUTOR:-0}"
  if [[ "$gpus" == 0 ]]; then return 0; fi
  GPU_CONF=(
    --conf "spark.executor.resource.gpu.amount=$gpus"
    --conf "spark.task.resource.gpu.amount=${SPARKCAE_GPUS_PER_TASK:-1}"
    --conf "spark.executor.resource.gpu.discoveryScript=${SPARKCAE_GPU_DISCOVERY_SCRIPT:-$1}"
  )
}
