#!/usr/bin/env bash
# System packages the tests use, from Debian's apt, installed only when missing:
#   openssh-server + openssh-client: a real sshd on loopback (SSH target, the fake RunPod's pods), ssh-keygen, ssh-agent
#   procps: pgrep/kill used to stop sshd's per-connection processes
#   chromium: renders report.html in a headless browser test
#   util-linux: unshare, for the offline test in an empty network namespace
#   cmake + clang + make: the bitnet.cpp setup test builds a stand-in llama-cli the way the harness builds the fork
#   python3-venv: the venv test with the system's real (PEP 668, externally-managed) python3
#   clang + cmake + xz-utils + python3: build the real bitnet.cpp fork from ../shared/engines (test/setup/bitnet-fork.ts),
#     as its README does (clang, not gcc: BitNet's kernels are written for it)
# Runs before `npm test` (pretest) and in .ci/run. Without root it only says what is missing.
set -u
missing=()
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
command -v ssh-keygen >/dev/null 2>&1 || missing+=(openssh-client)
command -v pgrep >/dev/null 2>&1 || missing+=(procps)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v unshare >/dev/null 2>&1 || missing+=(util-linux)
command -v cmake >/dev/null 2>&1 || missing+=(cmake)
command -v clang >/dev/null 2>&1 || missing+=(clang)
command -v make >/dev/null 2>&1 || missing+=(make)
command -v xz >/dev/null 2>&1 || missing+=(xz-utils)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
[ -x /usr/bin/python3 ] && ! /usr/bin/python3 -c 'import ensurepip' >/dev/null 2>&1 && missing+=(python3-venv)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: missing ${missing[*]} — install them (Debian/Ubuntu: sudo apt-get install -y ${missing[*]}); the tests that need them will fail until then" >&2
  exit 0
fi
echo "system-deps: apt-get install ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || {
  echo "system-deps: apt-get install ${missing[*]} failed" >&2
  exit 1
}
