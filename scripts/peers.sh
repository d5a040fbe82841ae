#!/usr/bin/env bash
# Installs and runs the real AMQP 1.0 peers that oslo-rx's tests talk to, each
# bound to 127.0.0.1 on a fixed port away from 5672:
#
#   rabbitmq    RabbitMQ 3.10 + rabbitmq_amqp1_0, a private node   OSLO_RX_RABBITMQ_PORT   27672
#   proton      Qpid Proton C++ example broker (built from Debian's
#               example source into .peers/bin/proton-broker)     OSLO_RX_PROTON_PORT     27680
#   fakebroker  oslo.messaging's FakeBroker, broker personality    OSLO_RX_FAKEBROKER_PORT 27690
#   fakerouter  oslo.messaging's FakeBroker, router personality    OSLO_RX_FAKEROUTER_PORT 27691
#   cluster     three RabbitMQ nodes in one cluster (scripts/peers-cluster.sh) 27721-27723
#
# The private RabbitMQ node also uses: epmd OSLO_RX_RABBITMQ_EPMD_PORT (27669),
# distribution OSLO_RX_RABBITMQ_DIST_PORT (27673), rabbitmqctl's own distribution
# ports OSLO_RX_RABBITMQ_CTL_PORT_MIN..+4 (27674-27678).
#
# Usage: scripts/peers.sh start | stop | status | restart-rabbitmq stop|start
#                         | kill-rabbitmq | start-rabbitmq | ctl ARGS...
#
#   start             installs the Debian packages that are missing (as root), then
#                     starts every peer that is not running and writes .peers/peers.env;
#                     RabbitMQ starts as a fresh node (empty mnesia) every time it starts
#   stop              stops what start started (PIDs in .peers/)
#   status            one line per peer; exit status 1 when one is not running
#   restart-rabbitmq  stop|start the RabbitMQ application (rabbitmqctl stop_app/start_app)
#                     and wait until its AMQP port is closed/open: an intermediary outage
#   kill-rabbitmq     SIGKILLs the node's Erlang VM (a crash) and waits until it is gone
#   start-rabbitmq    starts the node again keeping its mnesia (durable queues and
#                     persistent messages survive) and waits until it serves AMQP
#   ctl ARGS...       rabbitmqctl against the private node
#   rabbitmq-alone start|stop
#                     only the RabbitMQ node (scripts/peers-tls.sh runs one of its own with
#                     OSLO_RX_RABBITMQ_EXTRA_CONFIG appended to its config and the plugins
#                     in OSLO_RX_RABBITMQ_PLUGINS, comma-separated)
#
# State (logs, PIDs, built binary, RabbitMQ data) lives in .peers/ at the repository
# root, or OSLO_RX_PEERS_DIR. Waits are bounded by OSLO_RX_PEERS_TIMEOUT seconds (60).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCRIPT="$ROOT/scripts/peers.sh"
STATE="${OSLO_RX_PEERS_DIR:-$ROOT/.peers}"
HOST=127.0.0.1
TIMEOUT="${OSLO_RX_PEERS_TIMEOUT:-60}"
PYTHON=/usr/bin/python3

# Note: these defaults lie in Linux's ephemeral range (32768-60999). While a listener is
# down (restart-rabbitmq stop), a client that keeps reconnecting to an even port there can
# connect to itself and hold the port, so the listener cannot come back (seen here).
# The private RabbitMQ node's settings, from the environment; scripts/peers-cluster.sh
# calls it again with other values for each node of its cluster.
rabbitmq_settings() {
  RABBITMQ_PORT="${OSLO_RX_RABBITMQ_PORT:-27672}"
  RABBITMQ_EPMD_PORT="${OSLO_RX_RABBITMQ_EPMD_PORT:-27669}"
  RABBITMQ_DIST_PORT="${OSLO_RX_RABBITMQ_DIST_PORT:-27673}"
  RABBITMQ_CTL_PORT_MIN="${OSLO_RX_RABBITMQ_CTL_PORT_MIN:-27674}"
  RABBITMQ_NODE="${OSLO_RX_RABBITMQ_NODE:-oslorx@localhost}"
  RABBITMQ_DIR="$STATE/rabbitmq"
}
rabbitmq_settings
PROTON_PORT="${OSLO_RX_PROTON_PORT:-27680}"
FAKEBROKER_PORT="${OSLO_RX_FAKEBROKER_PORT:-27690}"
FAKEROUTER_PORT="${OSLO_RX_FAKEROUTER_PORT:-27691}"

PROTON_BIN="$STATE/bin/proton-broker"
PEERS=(rabbitmq proton fakebroker fakerouter)
PACKAGES=(
  rabbitmq-server
  libqpid-proton11-dev-examples libqpid-proton-cpp12-dev g++
  python3-oslo.messaging python3-pyngus python3-qpid-proton python3-oslotest python3-testtools
)

log() { echo "peers: $*" >&2; }
die() { log "error: $*"; exit 1; }

# ---------------------------------------------------------------- packages

missing_packages() {
  local pkg
  for pkg in "${PACKAGES[@]}"; do
    if [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)" != "install ok installed" ]]; then
      echo "$pkg"
    fi
  done
}

# apt-get update is needed when the package lists are empty or lack a candidate.
apt_lists_lack() {
  local pkg
  compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null || return 0
  for pkg in "$@"; do
    apt-cache policy "$pkg" 2>/dev/null | grep -q 'Candidate: [^(]' || return 0
  done
  return 1
}

install_packages() {
  local missing
  mapfile -t missing < <(missing_packages)
  [[ ${#missing[@]} -eq 0 ]] && return 0
  [[ $EUID -eq 0 ]] || die "missing Debian packages (${missing[*]}); run as root or: sudo apt-get install -y ${missing[*]}"
  log "installing ${missing[*]}"
  local apt=(apt-get -y -q -o DPkg::Lock::Timeout=300)
  export DEBIAN_FRONTEND=noninteractive
  if apt_lists_lack "${missing[@]}"; then
    "${apt[@]}" update
  fi
  if ! "${apt[@]}" install "${missing[@]}"; then
    log "install failed; refreshing the package lists and retrying"
    "${apt[@]}" update
    "${apt[@]}" install "${missing[@]}"
  fi
}

# ---------------------------------------------------------------- processes

pid_file() { echo "$STATE/$1.pid"; }
log_file() { echo "$STATE/$1.log"; }

# PID is a live process; a zombie (exited, not yet reaped by its new parent) is not.
pid_alive() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat=${stat##*) }
  [[ ${stat:0:1} != Z ]]
}

# A process we recorded as NAME that is still alive and still runs what we started
# (its command line contains MARKER), so a recycled PID is never mistaken for it.
alive() {
  local name=$1 marker=$2 pid
  pid="$(cat "$(pid_file "$name")" 2>/dev/null)" || return 1
  [[ -n "$pid" ]] && pid_alive "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$marker"
}

# Starts COMMAND... in its own session (it survives the caller's process group),
# output to .peers/NAME.log, and records its PID in .peers/NAME.pid.
spawn() {
  local name=$1; shift
  local pidf; pidf="$(pid_file "$name")"
  rm -f "$pidf"
  # shellcheck disable=SC2016
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidf" "$@" \
    </dev/null >>"$(log_file "$name")" 2>&1 9>&- &
  local i
  for ((i = 0; i < 100; i++)); do
    [[ -s "$pidf" ]] && return 0
    sleep 0.05
  done
  die "$name: no PID recorded"
}

port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null; }

show_log() {
  local file
  for file in "$@"; do
    [[ -f "$file" ]] || continue
    log "last lines of $file:"
    tail -n 30 "$file" >&2
  done
}

# Polls until PORT accepts connections (or, with closed, refuses them) while the
# process recorded as NAME (MARKER) lives; on failure prints the logs and exits.
wait_port() {
  local name=$1 marker=$2 port=$3 want=$4
  shift 4
  local deadline=$((SECONDS + TIMEOUT))
  while ((SECONDS < deadline)); do
    if [[ $want == open ]] && port_open "$port"; then return 0; fi
    if [[ $want == closed ]] && ! port_open "$port"; then return 0; fi
    if [[ -n "$marker" ]] && ! alive "$name" "$marker"; then
      show_log "$(log_file "$name")" "$@"
      die "$name exited before its port $port was $want"
    fi
    sleep 0.2
  done
  show_log "$(log_file "$name")" "$@"
  die "$name: port $HOST:$port not $want after ${TIMEOUT}s"
}

# Sends TERM to the process recorded as NAME, waits for it to exit (KILL after 10 s).
stop_pid() {
  local name=$1 marker=$2 pid i
  if alive "$name" "$marker"; then
    pid="$(cat "$(pid_file "$name")")"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
      pid_alive "$pid" || break
      sleep 0.1
    done
    if pid_alive "$pid"; then
      log "$name (pid $pid) ignored TERM; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$(pid_file "$name")"
}

# A peer (rabbitmq, proton, fakebroker, fakerouter) that this script started and that still runs.
running() { alive "$1" "$(peer_marker "$1")"; }

refuse_foreign_port() {
  local name=$1 port=$2
  if port_open "$port"; then
    die "$name: $HOST:$port is already used by a process this script did not start"
  fi
}

# ---------------------------------------------------------------- RabbitMQ

rabbitmq_home() {
  local home
  home="$(dirname "$(dirname "$(readlink -f /usr/lib/rabbitmq/bin/rabbitmq-server)")")"
  [[ -x "$home/sbin/rabbitmq-server" ]] || die "RabbitMQ's own bin folder not found (is rabbitmq-server installed?)"
  echo "$home"
}

# The environment that makes rabbitmq-server and rabbitmqctl use the private node.
rabbitmq_env() {
  local erl_args='-kernel inet_dist_use_interface {127,0,0,1}'
  export HOME="$RABBITMQ_DIR/home"
  export RABBITMQ_NODENAME="$RABBITMQ_NODE"
  export RABBITMQ_NODE_IP_ADDRESS="$HOST"
  export RABBITMQ_NODE_PORT="$RABBITMQ_PORT"
  export RABBITMQ_DIST_PORT="$RABBITMQ_DIST_PORT"
  export RABBITMQ_CTL_DIST_PORT_MIN="$RABBITMQ_CTL_PORT_MIN"
  export RABBITMQ_CTL_DIST_PORT_MAX="$((RABBITMQ_CTL_PORT_MIN + 4))"
  export ERL_EPMD_PORT="$RABBITMQ_EPMD_PORT"
  export ERL_EPMD_ADDRESS="$HOST"
  export RABBITMQ_MNESIA_BASE="$RABBITMQ_DIR/mnesia"
  export RABBITMQ_LOG_BASE="$RABBITMQ_DIR/log"
  export RABBITMQ_PID_FILE="$RABBITMQ_DIR/rabbitmq.pid"
  export RABBITMQ_CONF_ENV_FILE="$RABBITMQ_DIR/rabbitmq-env.conf"
  export RABBITMQ_CONFIG_FILE="$RABBITMQ_DIR/rabbitmq.conf"
  export RABBITMQ_ADVANCED_CONFIG_FILE="$RABBITMQ_DIR/advanced.config"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$RABBITMQ_DIR/enabled_plugins"
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="$erl_args"
  export RABBITMQ_CTL_ERL_ARGS="$erl_args"
  unset RABBITMQ_ALLOW_INPUT NOTIFY_SOCKET
}

rabbitmqctl_() { (rabbitmq_env && "$(rabbitmq_home)/sbin/rabbitmqctl" -n "$RABBITMQ_NODE" "$@"); }

write_rabbitmq_config() {
  mkdir -p "$RABBITMQ_DIR/home"
  : >"$RABBITMQ_DIR/rabbitmq-env.conf"
  echo "[${OSLO_RX_RABBITMQ_PLUGINS:-rabbitmq_amqp1_0}]." >"$RABBITMQ_DIR/enabled_plugins"
  cat >"$RABBITMQ_DIR/rabbitmq.conf" <<EOF
listeners.tcp.default = $HOST:$RABBITMQ_PORT
loopback_users.guest = true
disk_free_limit.absolute = 50MB
log.console = false
log.file.level = info
amqp1_0.default_user = guest
amqp1_0.default_vhost = /
amqp1_0.protocol_strict_mode = false
EOF
  # more settings from a caller that runs a node of its own (scripts/peers-tls.sh)
  if [[ -n "${OSLO_RX_RABBITMQ_EXTRA_CONFIG:-}" ]]; then printf '%s\n' "$OSLO_RX_RABBITMQ_EXTRA_CONFIG" >>"$RABBITMQ_DIR/rabbitmq.conf"; fi
}

start_epmd() {
  alive epmd epmd && return 0
  refuse_foreign_port epmd "$RABBITMQ_EPMD_PORT"
  spawn epmd epmd -port "$RABBITMQ_EPMD_PORT" -address "$HOST"
  wait_port epmd epmd "$RABBITMQ_EPMD_PORT" open
}

# Starts a fresh node (empty mnesia; with keep-data, the node's previous data) unless
# ours runs; await_rabbitmq waits for it. Needs start_epmd first.
launch_rabbitmq() {
  if running rabbitmq; then
    if port_open "$RABBITMQ_PORT"; then
      log "rabbitmq already running"
    else
      log "rabbitmq node running with its application stopped; starting it"
      rabbitmqctl_ start_app >/dev/null
    fi
    return 0
  fi
  refuse_foreign_port rabbitmq "$RABBITMQ_PORT"
  refuse_foreign_port rabbitmq "$RABBITMQ_DIST_PORT"
  write_rabbitmq_config
  [[ ${1:-} == keep-data ]] || rm -rf "$RABBITMQ_DIR/mnesia" "$RABBITMQ_DIR/log"
  rm -f "$RABBITMQ_DIR/rabbitmq.pid"
  : >"$(log_file rabbitmq)"
  local home; home="$(rabbitmq_home)"
  (rabbitmq_env && spawn rabbitmq "$home/sbin/rabbitmq-server")
}

await_rabbitmq() {
  local deadline=$((SECONDS + TIMEOUT)) node_log="$RABBITMQ_DIR/log/$RABBITMQ_NODE.log"
  until rabbitmqctl_ await_startup --timeout 5 >/dev/null 2>&1; do
    if ! running rabbitmq || ((SECONDS >= deadline)); then
      show_log "$(log_file rabbitmq)" "$node_log"
      die "rabbitmq node $RABBITMQ_NODE did not start"
    fi
    sleep 0.5
  done
  wait_port rabbitmq "$(peer_marker rabbitmq)" "$RABBITMQ_PORT" open "$node_log"
}

stop_rabbitmq() {
  if running rabbitmq; then
    local beam
    beam="$(cat "$RABBITMQ_DIR/rabbitmq.pid" 2>/dev/null || true)"
    # through the script's own ctl command, because timeout cannot run a shell function
    timeout "$TIMEOUT" bash "$SCRIPT" ctl stop >/dev/null 2>&1 || log "rabbitmqctl stop failed; terminating the node"
    stop_pid rabbitmq "$(peer_marker rabbitmq)"
    if [[ -n "$beam" ]] && pid_alive "$beam"; then
      log "rabbitmq VM (pid $beam) still running; killing it"
      kill -KILL "$beam" 2>/dev/null || true
    fi
  fi
  rm -f "$(pid_file rabbitmq)"
}

# A crash: SIGKILL to the Erlang VM (its wrapper script then exits by itself).
kill_rabbitmq() {
  running rabbitmq || die "rabbitmq is not running (start it with: bash scripts/peers.sh start)"
  local beam i
  beam="$(cat "$RABBITMQ_DIR/rabbitmq.pid" 2>/dev/null)" || die "rabbitmq VM pid file missing"
  kill -KILL "$beam" 2>/dev/null || true
  for ((i = 0; i < TIMEOUT * 10; i++)); do
    pid_alive "$beam" || running rabbitmq || break
    sleep 0.1
  done
  if pid_alive "$beam" || running rabbitmq; then die "rabbitmq still running after SIGKILL"; fi
  rm -f "$(pid_file rabbitmq)"
}

# After kill-rabbitmq: the same node again, on its kept mnesia.
start_kept_rabbitmq() {
  if running rabbitmq; then
    log "rabbitmq already running"
    return 0
  fi
  [[ -d "$RABBITMQ_DIR/mnesia" ]] || die "no rabbitmq data to keep (start it with: bash scripts/peers.sh start)"
  start_epmd
  launch_rabbitmq keep-data
  await_rabbitmq
}

restart_rabbitmq() {
  running rabbitmq || die "rabbitmq is not running (start it with: bash scripts/peers.sh start)"
  case "${1:-}" in
    stop)
      rabbitmqctl_ stop_app >/dev/null
      wait_port rabbitmq "$(peer_marker rabbitmq)" "$RABBITMQ_PORT" closed
      ;;
    start)
      rabbitmqctl_ start_app >/dev/null
      wait_port rabbitmq "$(peer_marker rabbitmq)" "$RABBITMQ_PORT" open "$RABBITMQ_DIR/log/$RABBITMQ_NODE.log"
      ;;
    *) die "usage: peers.sh restart-rabbitmq stop|start" ;;
  esac
}

# ---------------------------------------------------------------- Qpid Proton C++ broker

build_proton_broker() {
  [[ -x "$PROTON_BIN" ]] && return 0
  local src
  src="$(dpkg -L libqpid-proton11-dev-examples | grep '/cpp/broker\.cpp$' | head -n 1)"
  [[ -f "$src" ]] || die "broker.cpp not found in libqpid-proton11-dev-examples"
  log "building $PROTON_BIN from $src"
  mkdir -p "$(dirname "$PROTON_BIN")"
  g++ -O2 -std=c++17 -I"$(dirname "$src")" "$src" -o "$PROTON_BIN.tmp" -lqpid-proton-cpp -lpthread
  mv "$PROTON_BIN.tmp" "$PROTON_BIN"
}

start_proton() {
  build_proton_broker
  if running proton; then
    log "proton already running"
    return 0
  fi
  refuse_foreign_port proton "$PROTON_PORT"
  spawn proton "$PROTON_BIN" -a "$HOST:$PROTON_PORT"
  wait_port proton "$(peer_marker proton)" "$PROTON_PORT" open
}

# ---------------------------------------------------------------- oslo.messaging FakeBroker

start_fake() {
  local name=$1 mode=$2 port=$3
  if running "$name"; then
    log "$name already running"
    return 0
  fi
  refuse_foreign_port "$name" "$port"
  spawn "$name" "$PYTHON" -u "$ROOT/scripts/fakebroker.py" --port "$port" --mode "$mode"
  wait_port "$name" "$(peer_marker "$name")" "$port" open
}

# ---------------------------------------------------------------- commands

# what the command line of each peer's recorded process contains
peer_marker() {
  case $1 in
    rabbitmq) echo rabbitmq-server ;;
    proton) echo "$PROTON_BIN" ;;
    fakebroker) echo "fakebroker.py --port $FAKEBROKER_PORT" ;;
    fakerouter) echo "fakebroker.py --port $FAKEROUTER_PORT" ;;
  esac
}

peer_port() {
  case $1 in
    rabbitmq) echo "$RABBITMQ_PORT" ;;
    proton) echo "$PROTON_PORT" ;;
    fakebroker) echo "$FAKEBROKER_PORT" ;;
    fakerouter) echo "$FAKEROUTER_PORT" ;;
  esac
}

write_env() {
  cat >"$STATE/peers.env.tmp" <<EOF
# written by scripts/peers.sh start; use with: source .peers/peers.env
export OSLO_RX_RABBITMQ_URL=amqp://guest:guest@$HOST:$RABBITMQ_PORT
export OSLO_RX_PROTON_URL=amqp://$HOST:$PROTON_PORT
export OSLO_RX_FAKEBROKER_URL=amqp://$HOST:$FAKEBROKER_PORT
export OSLO_RX_FAKEROUTER_URL=amqp://$HOST:$FAKEROUTER_PORT
export OSLO_RX_PROTON_BROKER_BIN=$PROTON_BIN
export OSLO_RX_PEERS_SCRIPT=$SCRIPT
EOF
  bash "$ROOT/scripts/peers-tls.sh" env >>"$STATE/peers.env.tmp"
  mv "$STATE/peers.env.tmp" "$STATE/peers.env"
}

cmd_start() {
  local t0=$SECONDS
  install_packages
  start_epmd
  launch_rabbitmq # the slowest: the others start while it boots
  bash "$ROOT/scripts/peers-tls.sh" start 9>&- & # TLS endpoints (a RabbitMQ node of their own, Qpid Proton), meanwhile
  local tls_peers=$!
  start_proton
  start_fake fakebroker broker "$FAKEBROKER_PORT"
  start_fake fakerouter router "$FAKEROUTER_PORT"
  await_rabbitmq
  wait "$tls_peers" || die "the TLS peers did not start (scripts/peers-tls.sh)"
  write_env
  bash "$ROOT/scripts/peers-cluster.sh" start # three-node RabbitMQ cluster; adds its URL to peers.env
  bash "$ROOT/scripts/peers-docs.sh" start "$STATE" # chromium for the API-docs test
  log "all peers running ($((SECONDS - t0)) s); environment in $STATE/peers.env"
  cmd_status
}

cmd_stop() {
  local name
  for name in fakerouter fakebroker proton; do
    stop_pid "$name" "$(peer_marker "$name")"
  done
  stop_rabbitmq
  stop_pid epmd epmd
  bash "$ROOT/scripts/peers-cluster.sh" stop
  bash "$ROOT/scripts/peers-tls.sh" stop || log "stopping the TLS peers failed"
  log "all peers stopped"
}

cmd_status() {
  local name port state all=0
  for name in "${PEERS[@]}"; do
    port="$(peer_port "$name")"
    if running "$name"; then
      state="running, pid $(cat "$(pid_file "$name")")"
      if port_open "$port"; then state+=", port open"; else state+=", port CLOSED"; all=1; fi
    else
      state=stopped all=1
    fi
    printf '%-10s %-16s %s\n' "$name" "$HOST:$port" "$state"
  done
  bash "$ROOT/scripts/peers-cluster.sh" status || all=1
  bash "$ROOT/scripts/peers-docs.sh" status || all=1
  bash "$ROOT/scripts/peers-tls.sh" status || all=1
  return $all
}

main() {
  local cmd=${1:-}
  [[ $# -gt 0 ]] && shift
  case $cmd in
    ctl) rabbitmq_env; exec "$(rabbitmq_home)/sbin/rabbitmqctl" -n "$RABBITMQ_NODE" "$@" ;;
    status) cmd_status; return ;;
  esac
  mkdir -p "$STATE"
  exec 9>"$STATE/lock"
  flock -w "$((TIMEOUT * 5))" 9 || die "another peers.sh holds $STATE/lock"
  case $cmd in
    start) cmd_start ;;
    # one RabbitMQ node alone, for scripts/peers-tls.sh (its own OSLO_RX_PEERS_DIR and ports)
    rabbitmq-alone) case ${1:-} in start) start_epmd && launch_rabbitmq && await_rabbitmq ;; stop) stop_rabbitmq && stop_pid epmd epmd ;; *) die "usage: peers.sh rabbitmq-alone start|stop" ;; esac ;;
    stop) cmd_stop ;;
    restart-rabbitmq) restart_rabbitmq "$@" ;;
    kill-rabbitmq) kill_rabbitmq ;;
    start-rabbitmq) start_kept_rabbitmq ;;
    *) sed -n '2,/^set -euo/p' "$SCRIPT" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
  esac
}

# run as a command; scripts/peers-cluster.sh sources this file for its functions
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then main "$@"; fi
