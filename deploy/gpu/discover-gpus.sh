#!/usr/bin/env bash
# Spark GPU discovery script: prints the GPUs this executor (or worker) may use as the JSON Spark expects,
#   {"name":"gpu","addresses":["0","1"]}
# from nvidia-smi. Point Spark at it with
#   spark.executor.resource.gpu.discoveryScript=/opt/sparkcae/bin/discover-gpus.sh   (executors)
#   spark.worker.resource.gpu.discoveryScript=...                                    (standalone workers)
# together with spark.executor.resource.gpu.amount / spark.task.resource.gpu.amount
# (deploy/README-deploy.md, "GPUs"). In YARN and Kubernetes containers nvidia-smi sees only the GPUs the
# container was given. Options (environment):
#   SPARKCAE_GPU_RESOURCE_NAME  resource name (default gpu)
#   NVIDIA_SMI                  nvidia-smi to run (default: nvidia-smi on PATH)
# Exits 1 with a message on stderr when nvidia-smi is missing or fails: Spark then refuses to start the
# executor instead of scheduling GPU tasks on a machine without GPUs.
set -euo pipefail
name=${SPARKCAE_GPU_RESOURCE_NAME:-gpu}
smi=${NVIDIA_SMI:-nvidia-smi}
# checked, not trusted: the name goes into JSON (this script is copied alone into the image, hence inline)
if ! [[ "$name" =~ ^[A-Za-z0-9._-]+$ ]]; then
  printf 'sparkcae: error: SPARKCAE_GPU_RESOURCE_NAME=%s: expected a resource name such as gpu\n' "${name//[[:cntrl:]]/?}" >&2
  exit 2
fi
if ! [[ "$smi" =~ ^[^[:cntrl:]]+$ ]]; then
  echo "sparkcae: error: NVIDIA_SMI: expected a command name or path" >&2
  exit 2
fi

if ! command -v "$smi" >/dev/null 2>&1; then
  echo "discover-gpus.sh: $smi not found (no NVIDIA driver on this node?)" >&2
  exit 1
fi
if ! indices=$("$smi" --query-gpu=index --format=csv,noheader,nounits); then
  echo "discover-gpus.sh: $smi --query-gpu=index failed" >&2
  exit 1
fi

addresses=""
while IFS= read -r line; do
  index=${line//[[:space:]]/}
  [[ -z "$index" ]] && continue
  if [[ ! "$index" =~ ^[0-9]+$ ]]; then
    echo "discover-gpus.sh: unexpected nvidia-smi output: $line" >&2
    exit 1
  fi
  addresses+="${addresses:+,}\"$index\""
done <<< "$indices"

printf '{"name":"%s","addresses":[%s]}\n' "$name" "$addresses"
