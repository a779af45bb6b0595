#!/usr/bin/env bash
# Submit a sparkcae stage to YARN with the application jar
# (mvn -B -DskipTests -Papp-jar package -> spark-jobs/target/sparkcae-app.jar).
#
#   # client mode (default): the driver runs here, executors in YARN containers
#   deploy/submit-yarn.sh --num-executors 4 --executor-cores 4 --executor-memory 8g \
#     --conf spark.executor.memoryOverhead=8g -- \
#     prep --config my.conf --run-dir hdfs:///sparkcae/runs/2026-11-23
#   # cluster mode: the driver runs in the YARN application master; --config is shipped for you
#   deploy/submit-yarn.sh --deploy-mode cluster --queue ml --num-executors 4 --executor-cores 4 \
#     --executor-memory 8g --conf spark.executor.memoryOverhead=8g --driver-memory 4g -- \
#     train --config my.conf --run-dir hdfs:///sparkcae/runs/2026-11-23 --if-exists skip --log-format json
#
# Everything before "--" goes to spark-submit (--master yarn is added), everything after it to the
# sparkcae CLI. HADOOP_CONF_DIR / YARN_CONF_DIR must point at the cluster's configuration.
# - conf/log4j2.properties and conf/log4j2-json.properties travel with --files (merged with yours);
#   executors (and a cluster-mode driver) read the one matching --log-format from their working dir.
# - cluster mode: a local --config FILE is added to --files and passed to the CLI by its file name,
#   since YARN puts shipped files in the container's working directory.
# JVM flags come from conf/jvm.properties (deploy/jvm-options.sh); see deploy/submit-common.sh for the
# environment variables.
set -euo pipefail
# shellcheck source=deploy/submit-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/submit-common.sh"

sparkcae_split_args "$@"
sparkcae_require_app_jar

master=$(sparkcae_submit_opt --master yarn)
if [[ "$master" != yarn ]]; then
  echo "submit-yarn.sh: --master must be yarn (or left out), got '$master'" >&2
  exit 2
fi
sparkcae_drop_submit_opt --master
mode=$(sparkcae_submit_opt --deploy-mode client)
case "$mode" in
  client|cluster) ;;
  *) echo "submit-yarn.sh: --deploy-mode must be client or cluster, got '$mode'" >&2; exit 2 ;;
esac
sparkcae_drop_submit_opt --deploy-mode

files="$SPARKCAE_ROOT/conf/log4j2.properties,$SPARKCAE_ROOT/conf/log4j2-json.properties"
user_files=$(sparkcae_submit_opt --files)
if [[ -n "$user_files" ]]; then files="$files,$user_files"; fi
sparkcae_drop_submit_opt --files

log_config=$(sparkcae_log_config_name)
if [[ "$mode" == cluster ]]; then
  driver_opts=$(sparkcae_java_options "$log_config")
  # Ship a local --config and refer to it by name inside the container.
  for ((i = 0; i < ${#APP_ARGS[@]}; i++)); do
    case "${APP_ARGS[$i]}" in
      --config)
        cfg="${APP_ARGS[$((i + 1))]:-}"
        if [[ -f "$cfg" ]]; then files="$files,$cfg"; APP_ARGS[i + 1]=$(basename "$cfg"); fi ;;
      --config=*)
        cfg="${APP_ARGS[$i]#*=}"
        if [[ -f "$cfg" ]]; then files="$files,$cfg"; APP_ARGS[i]="--config=$(basename "$cfg")"; fi ;;
    esac
  done
  env_conf=(--conf "spark.yarn.appMasterEnv.OMP_NUM_THREADS=$SPARKCAE_DRIVER_THREADS"
            --conf "spark.yarn.appMasterEnv.OPENBLAS_NUM_THREADS=1")
else
  driver_opts=$(sparkcae_java_options "$SPARKCAE_ROOT/conf/$log_config")
  env_conf=()
fi
# GPU scheduling (SPARKCAE_GPUS_PER_EXECUTOR): the discovery script must exist at this path on every
# node, or set SPARKCAE_GPU_DISCOVERY_SCRIPT.
sparkcae_gpu_conf "$SPARKCAE_ROOT/deploy/gpu/discover-gpus.sh"
# Spark authentication and encryption (SPARKCAE_SPARK_SECURITY=off: none); YARN makes the secret.
sparkcae_security_conf yarn
executor_opts=$(sparkcae_java_options "$log_config")

sparkcae_exec "$SPARK_SUBMIT" \
  --master yarn \
  --deploy-mode "$mode" \
  --class "$SPARKCAE_MAIN_CLASS" \
  --name "sparkcae-${APP_ARGS[0]}" \
  --files "$files" \
  --conf "spark.driver.defaultJavaOptions=$driver_opts" \
  --conf "spark.executor.defaultJavaOptions=$executor_opts" \
  --conf "spark.executorEnv.OMP_NUM_THREADS=$SPARKCAE_EXECUTOR_THREADS" \
  --conf "spark.executorEnv.OPENBLAS_NUM_THREADS=1" \
  "${env_conf[@]}" \
  "${GPU_CONF[@]}" \
  "${SECURITY_CONF[@]}" \
  "${SUBMIT_ARGS[@]}" \
  "$SPARKCAE_APP_JAR" "${APP_ARGS[@]}"
