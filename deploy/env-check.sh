# shellcheck shell=bash
# Sourced by the launchers: every environment value they read is checked against a pattern and used only as
# data (quoted, never inside $(( )), eval or an unquoted expansion). A bad value stops the launcher with
# exit 2 and one line naming the variable:
#   sparkcae: error: SPARKCAE_MEMORY=1.5g: expected a size such as 12g or 4096m
#
#   sparkcae_env NAME DEFAULT REGEX WHAT
# sets the shell variable NAME to the environment's value (or DEFAULT when unset or empty) after checking it
# against the extended regular expression REGEX (anchored here); WHAT says what is expected.
sparkcae_env() {
  local name="$1" fallback="$2" re="$3" what="$4" value
  value="${!name:-}"
  if [[ -z "$value" ]]; then value="$fallback"; fi
  if ! [[ "$value" =~ ^($re)$ ]]; then
    # control characters shown as '?': the message stays one line
    printf 'sparkcae: error: %s=%s: expected %s\n' "$name" "${value//[[:cntrl:]]/?}" "$what" >&2
    exit 2
  fi
  printf -v "$name" '%s' "$value"
}

# Patterns shared by several launchers.
SPARKCAE_RE_COUNT='[1-9][0-9]{0,3}'
SPARKCAE_RE_SIZE='[1-9][0-9]{0,6}[gGmM]'
# a path or URI: anything printable, no control characters (a newline would end a YAML or conf line)
SPARKCAE_RE_PATH='[^[:cntrl:]]+'
SPARKCAE_RE_TEXT='[^[:cntrl:]]*'
SPARKCAE_RE_HOST='[A-Za-z0-9._:-]+'
