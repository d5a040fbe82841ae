#!/usr/bin/env bash
# What the API-docs test (spec/docs/api-docs.spec.ts) needs: Debian's chromium, to load
# the generated typedoc site in a headless browser.
#   bash scripts/peers-docs.sh start STATE_DIR   installs chromium if missing (root, Debian
#                                                packages) and adds OSLO_RX_CHROMIUM to
#                                                STATE_DIR/peers.env
#   bash scripts/peers-docs.sh status            prints the chromium found
#   bash scripts/peers-docs.sh stop              nothing runs between tests: nothing to stop
# Called by scripts/peers.sh from its start, status and stop.
set -euo pipefail

log() { echo "peers-docs: $*" >&2; }
die() { log "$*"; exit 1; }

chromium_path() { command -v chromium || true; }

install_chromium() {
  [[ -n "$(chromium_path)" ]] && return
  [[ $EUID -eq 0 ]] || die "chromium is missing; run as root or: sudo apt-get install -y chromium"
  local apt=(apt-get -y -q -o DPkg::Lock::Timeout=300)
  if ! apt-cache policy chromium 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    log "apt-get update (no candidate for chromium)"
    "${apt[@]}" update >&2
  fi
  log "installing chromium"
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" install --no-install-recommends chromium >&2
  [[ -n "$(chromium_path)" ]] || die "chromium installed but not on PATH"
}

case ${1:-} in
  start)
    state=${2:?usage: peers-docs.sh start STATE_DIR}
    install_chromium
    env_file="$state/peers.env"
    touch "$env_file"
    grep -v '^export OSLO_RX_CHROMIUM=' "$env_file" >"$env_file.docs.tmp" || true
    echo "export OSLO_RX_CHROMIUM=$(chromium_path)" >>"$env_file.docs.tmp"
    mv "$env_file.docs.tmp" "$env_file"
    log "chromium: $(chromium_path)"
    ;;
  status)
    path=$(chromium_path)
    if [[ -n "$path" ]]; then printf '%-10s %s\n' chromium "$path"; else printf '%-10s %s\n' chromium missing; exit 1; fi
    ;;
  stop) ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
esac
