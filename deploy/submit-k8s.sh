#!/usr/bin/env bash
# Submit a sparkcae stage to Kubernetes with spark-submit (k8s:// master), running the image built
# from deploy/docker/Dockerfile (apache/spark:3.5.9-scala2.12-java17-ubuntu + the application jar).
#
#   SPARKCAE_IMAGE=registry.example.com/sparkcae:0.1.0 \
#   deploy/submit-k8s.sh --master k8s://https://k8s-api.example.com:6443 \
#     --conf spark.kubernetes.namespace=ml --conf spark.executor.instances=4 \
#     --executor-cores 4 --executor-memory 8g --conf spark.executor.memoryOverhead=8g -- \
#     pipeline --run-dir s3a://bucket/sparkcae/runs/2026-11-23 --set train.epochs=5 --log-format json
#
# Everything before "--" goes to spark-submit, everything after it to the sparkcae CLI. Defaults:
# --deploy-mode cluster; the jar inside the image (local:///opt/sparkcae/sparkcae-app.jar); the
# log configuration of the image (/opt/sparkcae/conf); service account $SPARKCAE_K8S_SERVICE_ACCOUNT
# (default spark, which needs the usual Spark-on-k8s RBAC: create/delete pods, services, configmaps).
# --config FILE must be a path inside the pods (bake it into the image or mount a ConfigMap, e.g. with
# deploy/k8s/sparkcae-sparkapplication.yaml); --run-dir should be shared storage (s3a://, hdfs://,
# or a ReadWriteMany volume mounted at the same path in driver and executors).
# Environment, besides deploy/submit-common.sh's: SPARKCAE_IMAGE (default sparkcae:0.1.0),
# SPARKCAE_K8S_APP_JAR (default local:///opt/sparkcae/sparkcae-app.jar),
# SPARKCAE_K8S_SERVICE_ACCOUNT, SPARKCAE_GPUS_PER_EXECUTOR (GPU scheduling with the image's
# /opt/sparkcae/bin/discover-gpus.sh; vendor nvidia.com).
set -euo pipefail
# shellcheck source=deploy/submit-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/submit-common.sh"

sparkcae_env SPARKCAE_K8S_APP_JAR local:///opt/sparkcae/sparkcae-app.jar "$SPARKCAE_RE_PATH" "a jar URI"
SPARKCAE_APP_JAR=$SPARKCAE_K8S_APP_JAR
sparkcae_env SPARKCAE_IMAGE sparkcae:0.1.0 '[A-Za-z0-9._/:@-]+' "an image reference such as registry/sparkcae:0.1.0"
image=$SPARKCAE_IMAGE
sparkcae_env SPARKCAE_K8S_SERVICE_ACCOUNT spark '[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?' "a service account name"
sparkcae_env SPARK_MASTER '' "|k8s://[A-Za-z0-9._:/-]+" "k8s://https://HOST:PORT"
in_image=/opt/sparkcae

sparkcae_split_args "$@"
master=$(sparkcae_submit_opt --master "$SPARK_MASTER")
if [[ "$master" != k8s://* ]]; then
  echo "submit-k8s.sh: --master k8s://https://HOST:PORT (or SPARK_MASTER) is required, got '${master}'" >&2
  exit 2
fi
sparkcae_drop_submit_opt --master
mode=$(sparkcae_submit_opt --deploy-mode cluster)
sparkcae_drop_submit_opt --deploy-mode

log_config="$in_image/conf/$(sparkcae_log_config_name)"
java_opts=$(sparkcae_java_options "$log_config")
sparkcae_gpu_conf "$in_image/bin/discover-gpus.sh"
if [[ ${#GPU_CONF[@]} -gt 0 ]]; then GPU_CONF+=(--conf spark.executor.resource.gpu.vendor=nvidia.com); fi
# Spark authentication and encryption (SPARKCAE_SPARK_SECURITY=off: none), the secret from the Kubernetes
# Secret $SPARKCAE_K8S_AUTH_SECRET (create it once: docs/security.md).
sparkcae_security_conf k8s

sparkcae_exec "$SPARK_SUBMIT" \
  --master "$master" \
  --deploy-mode "$mode" \
  --class "$SPARKCAE_MAIN_CLASS" \
  --name "sparkcae-${APP_ARGS[0]}" \
  --conf "spark.kubernetes.container.image=$image" \
  --conf "spark.kubernetes.authenticate.driver.serviceAccountName=$SPARKCAE_K8S_SERVICE_ACCOUNT" \
  --conf "spark.driver.defaultJavaOptions=$java_opts" \
  --conf "spark.executor.defaultJavaOptions=$java_opts" \
  --conf "spark.kubernetes.driverEnv.OMP_NUM_THREADS=$SPARKCAE_DRIVER_THREADS" \
  --conf "spark.executorEnv.OMP_NUM_THREADS=$SPARKCAE_EXECUTOR_THREADS" \
  --conf "spark.kubernetes.driverEnv.OPENBLAS_NUM_THREADS=1" \
  --conf "spark.executorEnv.OPENBLAS_NUM_THREADS=1" \
  "${GPU_CONF[@]}" \
  "${SECURITY_CONF[@]}" \
  "${SUBMIT_ARGS[@]}" \
  "$SPARKCAE_APP_JAR" "${APP_ARGS[@]}"
