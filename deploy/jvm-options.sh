# shellcheck shell=bash
# Sourced by the launchers: prints the JVM flags from conf/jvm.properties (the one place they live)
# as a single line, continuation backslashes joined.
# A CUDA build (mvn -Pcuda, seen in spark-jobs/target/app.classpath) or SPARKCAE_BACKEND=cuda (e.g. in a
# GPU image without the build tree) also gets sparkcae.jvm.options.cuda, appended so its -D flags win.
sparkcae_jvm_options() {
  local root="$1" key
  local joined
  joined=$(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$root/conf/jvm.properties")
  local backend="${SPARKCAE_BACKEND:-}"
  if [[ -z "$backend" ]] && grep -qs 'nd4j-cuda' "$root/spark-jobs/target/app.classpath"; then
    backend=cuda
  fi
  for key in sparkcae.jvm.options $([[ "$backend" == cuda ]] && echo sparkcae.jvm.options.cuda); do
    grep "^$key=" <<<"$joined" | sed "s/^$key=//; s/  */ /g"
  done | paste -sd' ' -
}
