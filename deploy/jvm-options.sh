# shellcheck shell=bash
# Sourced by the launchers: prints the JVM flags from conf/jvm.properties (the one place they live)
# as a single line, continuation backslashes joined.
sparkcae_jvm_options() {
  local root="$1"
  sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$root/conf/jvm.properties" \
    | grep '^sparkcae.jvm.options=' | sed 's/^sparkcae.jvm.options=//; s/  */ /g'
}
