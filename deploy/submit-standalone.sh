#!/usr/bin/env bash
# Submit a sparkcae stage to a Spark standalone cluster with the application jar
# (mvn -B -DskipTests -Papp-jar package -> spark-jobs/target/sparkcae-app.jar).
#
#   deploy/submit-standalone.sh --master spark://host:7077 --total-executor-cores 8 \
#     --executor-memory 6g --conf spark.executor.memoryOverhead=6g -- \
#     train --config my.conf --run-dir /shared/sparkcae/runs/r1
#
# Everything before "--" goes to spark-submit, everything after it to the sparkcae CLI. The master comes
# from --master or SPARK_MASTER. Client mode (the default) is the usual choice: the driver reads
# --config and writes its logs here, executors fetch the jar from the driver. In --deploy-mode cluster
# the jar must be at the same path on every worker or on a shared URI (SPARKCAE_APP_JAR=hdfs://...),
# and so must --config.
# Spark security is on by default: the master and workers must run with spark.authenticate=true and the
# same secret, which this script reads from SPARKCAE_SPARK_SECRET_FILE (docs/security.md).
# JVM flags come from conf/jvm.properties (deploy/jvm-options.sh); see deploy/submit-common.sh for the
# environment variables.
set -euo pipefail
# shellcheck source=deploy/submit-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/submit-common.sh"

sparkcae_split_args "$@"
sparkcae_require_app_jar
sparkcae_env SPARK_MASTER '' "|spark://[A-Za-z0-9._:,-]+" "spark://HOST:PORT"

master=$(sparkcae_submit_opt --master "$SPARK_MASTER")
if [[ "$master" != spark://* ]]; then
  echo "submit-standalone.sh: --master spark://HOST:PORT (or SPARK_MASTER) is required, got '${master}'" >&2
  exit 2
fi
sparkcae_drop_submit_opt --master
mode=$(sparkcae_submit_opt --deploy-mode client)

if [[ "$mode" == client ]]; then
  # The driver is this machine: its log configuration is the local file. Executors keep the workers'
  # own Log4j2 configuration (files shipped with --files arrive only after an executor has started).
  driver_opts=$(sparkcae_java_options "$SPARKCAE_ROOT/conf/$(sparkcae_log_config_name)")
else
  driver_opts=$(sparkcae_java_options)
fi
# GPU scheduling (SPARKCAE_GPUS_PER_EXECUTOR): the discovery script must exist at this path on every
# node, or set SPARKCAE_GPU_DISCOVERY_SCRIPT.
sparkcae_gpu_conf "$SPARKCAE_ROOT/deploy/gpu/discover-gpus.sh"
# Spark authentication and encryption (SPARKCAE_SPARK_SECURITY=off: none), with the cluster's shared secret
# from SPARKCAE_SPARK_SECRET_FILE.
sparkcae_security_conf standalone
executor_opts=$(sparkcae_java_options)

sparkcae_exec "$SPARK_SUBMIT" \
  --master "$master" \
  --class "$SPARKCAE_MAIN_CLASS" \
  --name "sparkcae-${APP_ARGS[0]}" \
  --conf "spark.driver.defaultJavaOptions=$driver_opts" \
  --conf "spark.executor.defaultJavaOptions=$executor_opts" \
  --conf "spark.executorEnv.OMP_NUM_THREADS=$SPARKCAE_EXECUTOR_THREADS" \
  --conf "spark.executorEnv.OPENBLAS_NUM_THREADS=1" \
  "${GPU_CONF[@]}" \
  "${SECURITY_CONF[@]}" \
  "${SUBMIT_ARGS[@]}" \
  "$SPARKCAE_APP_JAR" "${APP_ARGS[@]}"
