#!/usr/bin/env bash
# Submit a sparkcae stage to a cluster with your Spark distribution's spark-submit.
#   deploy/spark-submit.sh --master yarn --deploy-mode cluster -- pipeline --run-dir hdfs:///runs/r1 --config my.conf
# Everything before "--" goes to spark-submit, everything after it to the sparkcae CLI.
# The application's dependencies (DL4J, ND4J natives, ...) travel with --jars; Spark and Hadoop come from
# the cluster. JVM flags come from conf/jvm.properties, the same list the local launcher and tests use.
# Spark authentication, RPC/I-O encryption and UI ACLs are on unless SPARKCAE_SPARK_SECURITY=off; the secret
# is the cluster manager's (YARN generates one; on a standalone cluster put spark.authenticate.secret in
# spark-defaults.conf, or use deploy/submit-standalone.sh). See docs/security.md.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=deploy/jvm-options.sh
source "$ROOT/deploy/jvm-options.sh"
# shellcheck source=deploy/env-check.sh
source "$ROOT/deploy/env-check.sh"
sparkcae_env SPARK_SUBMIT spark-submit "$SPARKCAE_RE_PATH" "the path of spark-submit"
sparkcae_env SPARKCAE_EXECUTOR_THREADS 1 "$SPARKCAE_RE_COUNT" "a thread count such as 1"
sparkcae_env SPARKCAE_SPARK_SECURITY on 'on|off' "on or off"
enabled=$([[ "$SPARKCAE_SPARK_SECURITY" == on ]] && echo true || echo false)
security=(--conf "spark.authenticate=$enabled" --conf "spark.network.crypto.enabled=$enabled"
  --conf "spark.io.encryption.enabled=$enabled" --conf "spark.acls.enable=$enabled")

JAR=$(ls "$ROOT"/spark-jobs/target/spark-jobs-*.jar 2>/dev/null | grep -v -- '-tests.jar' | head -n 1 || true)
if [[ -z "$JAR" || ! -f "$ROOT/spark-jobs/target/app.classpath" ]]; then
  echo "spark-submit.sh: not built yet; run: mvn -q -B -DskipTests package" >&2
  exit 2
fi
submit_args=()
while [[ $# -gt 0 && "$1" != "--" ]]; do submit_args+=("$1"); shift; done
[[ "${1:-}" == "--" ]] && shift

opts="$(sparkcae_jvm_options "$ROOT") -Dlog4j2.configurationFile=log4j2.properties"
jars=$(tr ':' ',' < "$ROOT/spark-jobs/target/app.classpath")

exec "$SPARK_SUBMIT" \
  --class io.sparkcae.jobs.cli.SparkCaeCli \
  --jars "$jars" \
  --files "$ROOT/conf/log4j2.properties" \
  --conf "spark.driver.defaultJavaOptions=$opts" \
  --conf "spark.executor.defaultJavaOptions=$opts" \
  --conf spark.executorEnv.OMP_NUM_THREADS="$SPARKCAE_EXECUTOR_THREADS" \
  --conf spark.executorEnv.OPENBLAS_NUM_THREADS=1 \
  "${security[@]}" \
  "${submit_args[@]}" \
  "$JAR" "$@"
