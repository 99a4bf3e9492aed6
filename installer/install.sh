#!/usr/bin/env bash
# Skein installer: one idempotent script for a fresh Debian/Ubuntu machine (Python 3.11).
#
#   bash installer/install.sh            set up the app (venv, torch, Skein, Debian packages)
#   bash installer/install.sh --test     ... plus the test tools
#
# Torch: on a machine with an NVIDIA GPU (nvidia-smi works) the CUDA build is installed, on
# others the CPU build. Override with SKEIN_TORCH=cpu|cuda, and point pip at a PyTorch
# wheel index of your choice with SKEIN_TORCH_INDEX=URL.
# A second run only checks what is there and finishes in seconds.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${SKEIN_VENV:-$here/.venv}"
python="${SKEIN_PYTHON:-python3}"
torch_version="${SKEIN_TORCH_VERSION:-2.13.0}"
with_test=0
for arg in "$@"; do
  case "$arg" in
    --test) with_test=1 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1mskein-install:\033[0m %s\n' "$*" >&2; }

# --- Debian packages --------------------------------------------------------------------
# tesseract: OCR of scanned PDF pages; raptor2-utils: an independent RDF parser (rapper)
# used to check exports; xvfb + xcb libraries: the Qt window on a virtual screen in tests.
debs=(tesseract-ocr tesseract-ocr-eng raptor2-utils xvfb xauth libxcb-icccm4 libxcb-keysyms1
      libxcb-xinerama0 libxcb-image0 libxcb-render-util0 libxcb-randr0 libxcb-shape0
      libxcb-cursor0 libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1 libdbus-1-3 fonts-dejavu-core)
missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${debs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if [ -z "$sudo" ] || command -v sudo >/dev/null 2>&1; then
    say "installing Debian packages: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    say "warning: cannot install ${missing[*]} (not root, no sudo); OCR/rapper/Xvfb features will say they are missing"
  fi
fi

# --- virtual environment -----------------------------------------------------------------
if [ ! -x "$venv/bin/python" ]; then
  say "creating $venv"
  "$python" -m venv "$venv"
fi
pip=("$venv/bin/python" -m pip --disable-pip-version-check -q)

# --- torch: CPU or CUDA build -------------------------------------------------------------
want="${SKEIN_TORCH:-}"
if [ -z "$want" ]; then
  if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then want=cuda; else want=cpu; fi
fi
have="$("$venv/bin/python" - <<'PY' 2>/dev/null || true
import importlib.util
if importlib.util.find_spec("torch"):
    import torch
    print("cuda" if torch.version.cuda else "cpu", torch.__version__)
PY
)"
if [ -z "$have" ] || [ "${have%% *}" != "$want" ]; then
  say "installing torch $torch_version ($want build)"
  index_args=()
  [ -n "${SKEIN_TORCH_INDEX:-}" ] && index_args=(--index-url "$SKEIN_TORCH_INDEX")
  if [ "$want" = cuda ]; then
    # PyPI's Linux torch wheels are CUDA builds; skip local CPU wheel folders.
    PIP_FIND_LINKS="" "${pip[@]}" install --no-cache-dir "${index_args[@]}" "torch==$torch_version"
  else
    "${pip[@]}" install "${index_args[@]}" "torch==$torch_version"
  fi
fi

# --- Skein itself -------------------------------------------------------------------------
stamp="$venv/.skein-installed"
extras=""; [ $with_test -eq 1 ] && extras="[test]"
fingerprint="$(cat "$here/pyproject.toml" | sha256sum | cut -c1-16)$extras"
# a test install also satisfies a plain one
if [ ! -f "$stamp" ] || ! grep -qx -e "$fingerprint" -e "${fingerprint}\[test\]" "$stamp"; then
  say "installing Skein and its dependencies${extras:+ (with test tools)}"
  "${pip[@]}" install -e "$here$extras"
  # keep an earlier test install's fingerprint so switching modes stays quick
  printf '%s\n' "$fingerprint" >> "$stamp"
fi
say "ready: $venv"
