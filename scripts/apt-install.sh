# apt_install PACKAGE…: installs Debian packages with apt-get (sudo when not root), fetching the
# package lists once when apt does not know a package (a fresh container has none). Sourced by
# scripts/setup.sh and scripts/bench-pandas.sh; the caller defines changed MESSAGE (what it did) and
# fail WHAT HOW (say what failed and how to do it by hand, then exit non-zero).
apt_install() {
  local sudo=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || fail "installing $* needs root" "sudo apt-get install -y --no-install-recommends $*"
    sudo=(sudo)
  fi
  command -v apt-get >/dev/null 2>&1 || fail "apt-get is not available to install $*" "install the equivalent of these Debian packages: $*"
  changed "installing Debian packages: $*"
  local log
  log="$(mktemp)"
  if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" 2>&1 | tee "$log" >&2; then
    # A fresh container has no package lists: fetch them once, then try again.
    if grep -qE "Unable to locate package|has no installation candidate|is not available" "$log"; then
      changed "fetching the package lists (apt-get update)"
      "${sudo[@]}" apt-get update >&2 || { rm -f "$log"; fail "apt-get update failed" "sudo apt-get update"; }
      "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >&2 \
        || { rm -f "$log"; fail "apt-get install failed" "sudo apt-get install -y --no-install-recommends $*"; }
    else
      rm -f "$log"
      fail "apt-get install failed" "sudo apt-get install -y --no-install-recommends $*"
    fi
  fi
  rm -f "$log"
}
