#!/usr/bin/env bash
# Optional linting of the deployment artefacts with outside tools, beside the always-run checks of
# tests/MarketSpine.Deploy.Tests. Each tool runs when it is installed and is reported as skipped
# otherwise; the script fails when a tool that ran found a problem.
#   bash deploy/validate.sh             # what is installed
#   bash deploy/validate.sh --install   # first installs Debian's yamllint, shellcheck, docker-compose
# hadolint, kubeconform and kubeval have no Debian package; they run when installed some other way.
# kubectl (for `kubectl kustomize`) comes with a Kubernetes toolchain.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" == "--install" ]]; then
  apt-get update
  apt-get install -y --no-install-recommends yamllint shellcheck docker-compose
fi

failed=0
skipped=()

check() {
  local name=$1
  shift
  echo "== $name"
  if "$@"; then
    echo "ok"
  else
    echo "FAILED: $name"
    failed=1
  fi
}

have() {
  if command -v "$1" > /dev/null; then
    return 0
  fi
  skipped+=("$1")
  return 1
}

if have yamllint; then
  # Kubernetes and Compose files carry no '---' document start; comments explain, so lines run long.
  check yamllint yamllint --strict \
    -d '{extends: default, rules: {line-length: {max: 120}, document-start: disable}}' deploy/
fi

if have shellcheck; then
  check shellcheck shellcheck deploy/validate.sh
fi

if have hadolint; then
  check hadolint hadolint deploy/Dockerfile deploy/*.Dockerfile
fi

# Compose v2 is a docker plugin, v1 a program of its own (Debian's docker-compose); `config`
# resolves and validates the file without a Docker engine.
if docker compose version > /dev/null 2>&1; then
  check "docker compose config" docker compose -f deploy/compose.yaml config --quiet
elif have docker-compose; then
  check "docker-compose config" docker-compose -f deploy/compose.yaml config --quiet
fi

rendered=$(mktemp)
trap 'rm -f "$rendered"' EXIT
if have kubectl; then
  check "kubectl kustomize" kubectl kustomize deploy/k8s -o "$rendered"
  if have kubeconform; then
    check kubeconform kubeconform -strict -summary "$rendered"
  elif have kubeval; then
    check kubeval kubeval --strict "$rendered"
  fi
fi

if ((${#skipped[@]} > 0)); then
  echo "skipped, not installed: ${skipped[*]}"
fi
exit "$failed"
