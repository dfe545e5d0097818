#!/usr/bin/env bash
# Before the tests: everything the test script installs must really be there and work. A test that
# finds its backend or reference missing skips with the reason (so a developer without them can still
# run the rest), but in CI a missing one must fail here, not turn tens of tests into green skips.
set -uo pipefail
PY=/usr/bin/python3
fail=0
check() { # name, command...
  local name=$1; shift
  if out=$("$@" 2>&1); then
    printf '  ok       %s\n' "$name"
  else
    printf '  MISSING  %s: %s\n' "$name" "$(tail -n 1 <<<"$out")"
    fail=1
  fi
}
echo "== prerequisites"
check "OpenCV, Pillow, numpy, torch, torchvision, onnx (Python references)" \
  $PY -c "import cv2, PIL, numpy, torch, torchvision, onnx"
check "lavapipe (Vulkan on the CPU)" test -f /usr/share/vulkan/icd.d/lvp_icd.x86_64.json
check "libvulkan.so.1" sh -c 'ldconfig -p | grep -q "libvulkan.so.1 "'
check "Khronos validation layer" test -f /usr/share/vulkan/explicit_layer.d/VkLayer_khronos_validation.json
check "glslc, cmake, g++ (the Vulkan addon's build)" sh -c 'command -v glslc && command -v cmake && command -v g++'
check "SwiftShader (WebGPU on the CPU)" test -f /usr/lib/chromium/vk_swiftshader_icd.json
check "Chromium (the web demo's test)" test -x /usr/bin/chromium
check "Tesseract 5 with English (the OCR peer)" sh -c 'tesseract --list-langs 2>&1 | grep -qx eng'
check "ffmpeg and ffprobe (video)" sh -c 'ffmpeg -hide_banner -version && ffprobe -hide_banner -version'
check "gst-rtsp-server for Python (the RTSP test server)" \
  $PY -c "import gi; gi.require_version('GstRtspServer', '1.0'); from gi.repository import GstRtspServer"
if [ "$fail" = 1 ]; then
  echo "prerequisites missing: scripts/test-all.sh installs them (apt-get); see its DEBIAN_PACKAGES" >&2
  exit 1
fi
