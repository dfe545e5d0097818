#!/usr/bin/env bash
# `npm test`: installs what the tests need (Debian packages for the reference implementations, the
# workspace's npm packages), then builds, typechecks, lints and runs every package's tests.
set -euo pipefail
cd "$(dirname "$0")/.."
export ONNXRUNTIME_NODE_INSTALL=skip # onnxruntime-node's postinstall downloads from outside npm
export TURBO_TELEMETRY_DISABLED=1

# Independent references from Debian: OpenCV 4.6 for the image ops (scripts/opencv_reference.py),
# Pillow for torchvision's resize, torch/torchvision/onnx for the model checks (scripts/torchvision_reference.py).
if ! /usr/bin/python3 -c 'import cv2, PIL, torch, torchvision, onnx' 2>/dev/null; then
  echo "== installing test prerequisites: python3-opencv python3-pil python3-torch python3-torchvision python3-onnx (Debian)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    python3-opencv python3-numpy python3-pil python3-torch python3-torchvision python3-onnx >/dev/null
fi

command -v pnpm >/dev/null || npm install -g pnpm@12.21.0
pnpm install

echo "== build, typecheck, lint"
pnpm turbo run build typecheck lint --output-logs=errors-only

echo "== turbo caches a second build"
second=$(pnpm turbo run build 2>&1)
grep -E 'Cached:|Tasks:' <<<"$second" || true
# here-strings, not pipes: with pipefail, grep -q closing a pipe early can fail the echo (SIGPIPE)
if ! grep -q 'FULL TURBO' <<<"$second"; then
  echo "turbo did not serve the second build from its cache" >&2
  exit 1
fi

echo "== tests"
rm -f packages/*/test-results.json apps/*/test-results.json
status=0
# One package at a time: the machine has 2 cores and vitest forks a worker per core.
pnpm turbo run test --concurrency=1 --continue || status=$?
node scripts/test-summary.mjs || status=1
exit $status
