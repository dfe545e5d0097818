#!/usr/bin/env bash
# `npm test`: installs what the tests need (Debian packages for the reference implementations, the
# workspace's npm packages), then builds, typechecks, lints and runs every package's tests.
set -euo pipefail
cd "$(dirname "$0")/.."
export ONNXRUNTIME_NODE_INSTALL=skip # onnxruntime-node's postinstall downloads from outside npm
export TURBO_TELEMETRY_DISABLED=1

# Debian packages the tests need:
# - independent references: OpenCV 4.6 for the image ops (scripts/opencv_reference.py), Pillow for
#   torchvision's resize, torch/torchvision/onnx for the model checks (scripts/torchvision_reference.py);
# - the Vulkan backend: its toolchain (cmake, g++, headers, glslc) and a real device on the CPU
#   (Mesa's lavapipe) with the Khronos validation layer;
# - the WebGPU backend: SwiftShader's Vulkan driver for Dawn in Node (chromium-common) and Chromium
#   itself for the browser demo's test (never a downloaded browser);
# - OCR: Tesseract 5 with English, the peer of the OCR benchmark.
DEBIAN_PACKAGES="python3-opencv python3-numpy python3-pil python3-torch python3-torchvision python3-onnx
  ffmpeg python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  gstreamer1.0-plugins-ugly gstreamer1.0-libav
  cmake g++ libvulkan-dev glslc libvulkan1 mesa-vulkan-drivers vulkan-validationlayers
  chromium chromium-common tesseract-ocr tesseract-ocr-eng"
missing=""
for p in $DEBIAN_PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "== installing test prerequisites (Debian):$missing"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
# With the toolchain installed, a native addon that fails to build is an error, not a skip.
export OCELLUS_REQUIRE_NATIVE=1
# Everything installed above must really work: a missing one fails here instead of skipping tests.
bash scripts/check-prereqs.sh

command -v pnpm >/dev/null || npm install -g pnpm@12.21.0
pnpm install

echo "== build, typecheck, lint"
pnpm turbo run build typecheck lint --output-logs=errors-only
echo "== format (biome, the whole repository)"
pnpm exec biome format .

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
