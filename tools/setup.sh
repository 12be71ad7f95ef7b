#!/bin/bash
# Prepares a fresh machine (Debian, as root or with sudo) for eagerflow: the system packages the
# tests and the training program use, the npm dependencies, and the build. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
need=()
# chromium brings the SwiftShader Vulkan driver (a real WebGPU adapter without a GPU) and a headless browser.
[ -f /usr/lib/chromium/vk_swiftshader_icd.json ] || need+=(chromium)
# The Vulkan loader Dawn (npm `webgpu`) opens; chromium does not depend on it.
ldconfig -p | grep -q 'libvulkan\.so\.1 ' || need+=(libvulkan1)
# The real Fashion-MNIST IDX files, the default training data.
[ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] || need+=(dataset-fashion-mnist)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
if [ ! -d node_modules/@eagerflow/core ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npx tsc -b
