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
#   SPARKCAE_SPARK_SECURITY      on (default): Spark authentication, RPC and I/O encryption, UI ACLs;
#                                off: none of them (docs/security.md)
#   SPARKCAE_SPARK_SECRET_FILE   standalone only: file holding the cluster's spark.authenticate.secret
#   SPARKCAE_K8S_AUTH_SECRET     Kubernetes only: Secret (key "secret") mounted as the authentication
#                                secret file (default sparkcae-spark-auth)
# Every value is checked against a pattern (deploy/env-check.sh): a bad one stops with exit 2.

SPARKCAE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=deploy/jvm-options.sh
source "$SPARKCAE_ROOT/deploy/jvm-options.sh"
# shellcheck source=deploy/env-check.sh
source "$SPARKCAE_ROOT/deploy/env-check.sh"

SPARKCAE_MAIN_CLASS=io.sparkcae.jobs.cli.SparkCaeCli
sparkcae_env SPARK_HOME '' "$SPARKCAE_RE_TEXT" "a directory path"
if [[ -n "$SPARK_HOME" ]]; then default_submit="$SPARK_HOME/bin/spark-submit"; else default_submit=spark-submit; fi
sparkcae_env SPARK_SUBMIT "$default_submit" "$SPARKCAE_RE_PATH" "the path of spark-submit"
sparkcae_env SPARKCAE_APP_JAR "$SPARKCAE_ROOT/spark-jobs/target/sparkcae-app.jar" "$SPARKCAE_RE_PATH" "a jar path or URI"
sparkcae_env SPARKCAE_EXECUTOR_THREADS 1 "$SPARKCAE_RE_COUNT" "a thread count such as 1"
sparkcae_env SPARKCAE_DRIVER_THREADS 1 "$SPARKCAE_RE_COUNT" "a thread count such as 1"
sparkcae_env SPARKCAE_EXTRA_JAVA_OPTIONS '' "$SPARKCAE_RE_TEXT" "JVM options on one line"
sparkcae_env SPARKCAE_DRY_RUN 0 '0|1' "0 or 1"
sparkcae_env SPARKCAE_GPUS_PER_EXECUTOR 0 '[0-9]{1,3}' "a GPU count such as 1 (0: none)"
sparkcae_env SPARKCAE_GPUS_PER_TASK 1 '[0-9]{1,3}(\.[0-9]{1,6})?' "a GPU amount such as 1 or 0.25"
sparkcae_env SPARKCAE_GPU_DISCOVERY_SCRIPT '' "$SPARKCAE_RE_TEXT" "a script path"
sparkcae_env SPARKCAE_SPARK_SECURITY on 'on|off' "on or off"

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

# Spark's own security, on unless SPARKCAE_SPARK_SECURITY=off (docs/security.md): fills SECURITY_CONF with
# spark-submit options for $1 = yarn | k8s | standalone, the secret handled the way that manager expects.
sparkcae_security_conf() {
  SECURITY_CONF=()
  if [[ "$SPARKCAE_SPARK_SECURITY" == off ]]; then
    echo "$(basename "$0"): SPARKCAE_SPARK_SECURITY=off: no Spark authentication, encryption or UI ACLs" >&2
    # explicit, so that a spark-defaults.conf turning them on (as the image's does) does not apply
    SECURITY_CONF=(
      --conf spark.authenticate=false
      --conf spark.network.crypto.enabled=false
      --conf spark.io.encryption.enabled=false
      --conf spark.acls.enable=false
    )
    return 0
  fi
  SECURITY_CONF=(
    --conf spark.authenticate=true
    --conf spark.network.crypto.enabled=true
    --conf spark.io.encryption.enabled=true
    --conf spark.acls.enable=true
  )
  case "$1" in
    yarn) ;; # YARN generates a secret per application and hands it to the executors itself
    k8s)
      # From a Kubernetes Secret mounted in driver and executor pods; without a file Spark would put a
      # generated secret into the executor pods' environment, readable by anyone who may read pod specs.
      sparkcae_env SPARKCAE_K8S_AUTH_SECRET sparkcae-spark-auth '[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?' \
        "a Kubernetes Secret name"
      SECURITY_CONF+=(
        --conf "spark.kubernetes.driver.secrets.$SPARKCAE_K8S_AUTH_SECRET=/etc/sparkcae-auth"
        --conf "spark.kubernetes.executor.secrets.$SPARKCAE_K8S_AUTH_SECRET=/etc/sparkcae-auth"
        --conf spark.authenticate.secret.file=/etc/sparkcae-auth/secret
      ) ;;
    standalone) sparkcae_standalone_secret ;;
  esac
}

# A standalone cluster shares one secret among its master, workers and applications, and Spark takes it
# only as the spark.authenticate.secret setting. Rather than on the command line (visible to every user
# of this machine in the process list), it goes into a private copy of the Spark configuration directory
# (mode 700, removed when spark-submit exits) whose spark-defaults.conf spark-submit reads.
sparkcae_standalone_secret() {
  sparkcae_env SPARKCAE_SPARK_SECRET_FILE '' "$SPARKCAE_RE_TEXT" "a file path"
  local file="$SPARKCAE_SPARK_SECRET_FILE" secret src
  if [[ -z "$file" ]]; then
    echo "sparkcae: error: SPARKCAE_SPARK_SECRET_FILE is not set: a standalone cluster needs the file holding its" \
      "spark.authenticate.secret (or SPARKCAE_SPARK_SECURITY=off; see docs/security.md)" >&2
    exit 2
  fi
  if [[ ! -f "$file" || ! -r "$file" ]]; then
    printf 'sparkcae: error: SPARKCAE_SPARK_SECRET_FILE=%s: expected a readable file\n' "$file" >&2
    exit 2
  fi
  IFS= read -r secret < "$file" || true
  secret=${secret%$'\r'}
  if ! [[ "$secret" =~ ^[A-Za-z0-9+/=._-]{16,}$ ]]; then
    printf 'sparkcae: error: SPARKCAE_SPARK_SECRET_FILE=%s: expected a first line of at least 16 characters from A-Z a-z 0-9 + / = . _ - (e.g. openssl rand -hex 32)\n' "$file" >&2
    exit 2
  fi
  src=${SPARK_CONF_DIR:-}
  if [[ -z "$src" && -n "$SPARK_HOME" ]]; then src="$SPARK_HOME/conf"; fi
  SPARKCAE_PRIVATE_CONF=$(mktemp -d "${TMPDIR:-/tmp}/sparkcae-conf.XXXXXX")
  chmod 700 "$SPARKCAE_PRIVATE_CONF"
  if [[ -n "$src" && -d "$src" ]]; then cp -R "$src"/. "$SPARKCAE_PRIVATE_CONF"/; fi
  (umask 077 && printf '\nspark.authenticate.secret %s\n' "$secret" >> "$SPARKCAE_PRIVATE_CONF/spark-defaults.conf")
  export SPARK_CONF_DIR="$SPARKCAE_PRIVATE_CONF"
}

# Runs (or with SPARKCAE_DRY_RUN=1 prints) the final command.
sparkcae_exec() {
  if [[ "$SPARKCAE_DRY_RUN" == 1 ]]; then
    printf '%q ' "$@"
    echo
    if [[ -n "${SPARKCAE_PRIVATE_CONF:-}" ]]; then rm -rf "$SPARKCAE_PRIVATE_CONF"; fi
    exit 0
  fi
  if [[ -z "${SPARKCAE_PRIVATE_CONF:-}" ]]; then
    exec "$@"
  fi
  # the private configuration directory must go when spark-submit ends: run it as a child, pass signals on
  trap 'rm -rf "$SPARKCAE_PRIVATE_CONF"' EXIT
  "$@" &
  SPARKCAE_CHILD=$!
  trap 'kill -TERM "$SPARKCAE_CHILD" 2>/dev/null || true' TERM INT HUP
  local rc=0
  wait "$SPARKCAE_CHILD" || rc=$?
  while kill -0 "$SPARKCAE_CHILD" 2>/dev/null; do
    rc=0
    wait "$SPARKCAE_CHILD" || rc=$?
  done
  exit "$rc"
}

# Spark GPU scheduling (spark.executor/task.resource.gpu.*) when SPARKCAE_GPUS_PER_EXECUTOR > 0:
# fills GPU_CONF. $1: path of deploy/gpu/discover-gpus.sh as the executors see it
# (SPARKCAE_GPU_DISCOVERY_SCRIPT overrides). SPARKCAE_GPUS_PER_TASK defaults to 1.
sparkcae_gpu_conf() {
  GPU_CONF=()
  local gpus="$SPARKCAE_GPUS_PER_EXECUTOR"
  if [[ "$gpus" == 0 ]]; then return 0; fi
  GPU_CONF=(
    --conf "spark.executor.resource.gpu.amount=$gpus"
    --conf "spark.task.resource.gpu.amount=$SPARKCAE_GPUS_PER_TASK"
    --conf "spark.executor.resource.gpu.discoveryScript=${SPARKCAE_GPU_DISCOVERY_SCRIPT:-$1}"
  )
}
