#!/usr/bin/env bash
# A three-node RabbitMQ 3.10 cluster on loopback (AMQP 1.0 plugin on every node), for
# the cluster suite (spec/cluster/). scripts/peers.sh start/stop/status call it; it reuses
# that script's functions for each node (sourced, one node's settings at a time).
#
#   node  name               AMQP                        distribution
#   1     oslorx-c1@localhost OSLO_RX_CLUSTER_PORT (27721)  OSLO_RX_CLUSTER_DIST_PORT (27731)
#   2     oslorx-c2@localhost +1 (27722)                    +1 (27732)
#   3     oslorx-c3@localhost +2 (27723)                    +2 (27733)
#
# One private epmd for the three, OSLO_RX_CLUSTER_EPMD_PORT (27720); rabbitmqctl's own
# distribution ports OSLO_RX_CLUSTER_CTL_PORT_MIN (27741) + 5 per node (27741-27755).
# The nodes share one Erlang cookie (made fresh at each start); nodes 2 and 3 join node 1
# with `rabbitmqctl join_cluster`. The policy `oslo-rx-ha` mirrors oslo-rx's queues
# (legacy addresses exclusive.* and unicast.*, and the oslo-rx.reply.* reply queues) to
# every node, synchronised automatically (classic mirrored queues).
#
# Usage: scripts/peers-cluster.sh start | stop | status | kill N | restart N | ctl N ARGS...
#
#   start       starts a fresh cluster (empty data) unless it runs; nodes that were killed
#               are restarted with their data (they rejoin); then adds to .peers/peers.env
#               OSLO_RX_RABBITMQ_CLUSTER_URL (every node, oslo's multi-host syntax) and
#               OSLO_RX_CLUSTER_SCRIPT (this script)
#   stop        stops the three nodes and the cluster's epmd (PIDs in .peers/cluster/)
#   status      one line per node; exit status 1 when one is not running
#   kill N      SIGKILLs node N (1-3) and waits until its AMQP port is closed
#   restart N   starts node N again with its data and waits until it runs in the cluster
#   ctl N ARGS  rabbitmqctl against node N
#
# State lives in .peers/cluster/ (or $OSLO_RX_PEERS_DIR/cluster). Waits are bounded by
# OSLO_RX_PEERS_TIMEOUT seconds (60) each.
set -euo pipefail

CLUSTER_SCRIPT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/peers-cluster.sh"
# shellcheck source=scripts/peers.sh
source "$(dirname "$CLUSTER_SCRIPT")/peers.sh"

PEERS_STATE="$STATE"
CLUSTER_STATE="$PEERS_STATE/cluster"
CLUSTER_SIZE=3
CLUSTER_EPMD_PORT="${OSLO_RX_CLUSTER_EPMD_PORT:-27720}"
CLUSTER_PORT="${OSLO_RX_CLUSTER_PORT:-27721}"
CLUSTER_DIST_PORT="${OSLO_RX_CLUSTER_DIST_PORT:-27731}"
CLUSTER_CTL_PORT_MIN="${OSLO_RX_CLUSTER_CTL_PORT_MIN:-27741}"
CLUSTER_POLICY_PATTERN='^(exclusive|unicast|oslo-rx\.reply)\.'
CLUSTER_POLICY='{"ha-mode":"all","ha-sync-mode":"automatic"}'

cluster_node_name() { echo "oslorx-c$1@localhost"; }
cluster_node_port() { echo $((CLUSTER_PORT + $1 - 1)); }

# Points peers.sh's RabbitMQ functions (and the rabbitmqctl they run through
# `peers.sh ctl`) at node N. Call it in a subshell: it changes the environment.
select_node() {
  local n=$1
  [[ $n =~ ^[1-3]$ ]] || die "no cluster node '$n' (nodes are 1 to $CLUSTER_SIZE)"
  export OSLO_RX_PEERS_DIR="$CLUSTER_STATE/n$n"
  export OSLO_RX_RABBITMQ_NODE; OSLO_RX_RABBITMQ_NODE="$(cluster_node_name "$n")"
  export OSLO_RX_RABBITMQ_PORT; OSLO_RX_RABBITMQ_PORT="$(cluster_node_port "$n")"
  export OSLO_RX_RABBITMQ_DIST_PORT=$((CLUSTER_DIST_PORT + n - 1))
  export OSLO_RX_RABBITMQ_CTL_PORT_MIN=$((CLUSTER_CTL_PORT_MIN + 5 * (n - 1)))
  export OSLO_RX_RABBITMQ_EPMD_PORT="$CLUSTER_EPMD_PORT"
  STATE="$OSLO_RX_PEERS_DIR"
  rabbitmq_settings
  mkdir -p "$STATE"
}

# The cluster's epmd: peers.sh's start_epmd/stop_pid with the cluster's port and state.
cluster_epmd() {
  (
    STATE="$CLUSTER_STATE" RABBITMQ_EPMD_PORT="$CLUSTER_EPMD_PORT"
    if [[ $1 == start ]]; then start_epmd; else stop_pid epmd epmd; fi
  )
}

# rabbitmqctl ARGS against the selected node, quiet; its output is shown when it fails.
ctl_quiet() {
  local out
  out="$(rabbitmqctl_ "$@" 2>&1)" || { echo "$out" >&2; die "cluster: rabbitmqctl $1 on $RABBITMQ_NODE failed"; }
}

# Waits until the selected node's AMQP port opens (its boot ends with that; polling the
# port costs nothing, a rabbitmqctl run costs seconds), then for rabbitmqctl await_startup.
await_node() {
  wait_port rabbitmq "$(peer_marker rabbitmq)" "$RABBITMQ_PORT" open "$RABBITMQ_DIR/log/$RABBITMQ_NODE.log"
  [[ ${1:-} == port-only ]] || await_rabbitmq
}

node_running() { (select_node "$1" && running rabbitmq); }

# Gives node N the cluster's cookie (its HOME is its own folder, as peers.sh sets it).
install_cookie() {
  local home="$RABBITMQ_DIR/home"
  mkdir -p "$home"
  rm -f "$home/.erlang.cookie"
  cp "$CLUSTER_STATE/cookie" "$home/.erlang.cookie"
  chmod 400 "$home/.erlang.cookie"
}

# The nodes the cluster reports as running, as seen from node N (one per line).
running_nodes() {
  (select_node "$1" && rabbitmqctl_ cluster_status --formatter json 2>/dev/null) |
    "$PYTHON" -c 'import json,sys; print("\n".join(json.load(sys.stdin).get("running_nodes", [])))' 2>/dev/null
}

# Waits until node N sees all three nodes running.
await_cluster() {
  local n=$1 deadline=$((SECONDS + TIMEOUT)) count=0
  while ((SECONDS < deadline)); do
    count="$(running_nodes "$n" | grep -c . || true)"
    ((count == CLUSTER_SIZE)) && return 0
    sleep 0.5
  done
  die "cluster: node $n sees $count of $CLUSTER_SIZE nodes running after ${TIMEOUT}s"
}

start_fresh_cluster() {
  local t0=$SECONDS
  cluster_epmd stop # its PID file goes with the old state
  rm -rf "$CLUSTER_STATE"
  mkdir -p "$CLUSTER_STATE"
  # a fresh cookie (32 hex digits)
  "$PYTHON" -c 'import secrets; print(secrets.token_hex(16).upper(), end="")' >"$CLUSTER_STATE/cookie"
  cluster_epmd start
  local n
  for ((n = 1; n <= CLUSTER_SIZE; n++)); do
    (select_node "$n" && install_cookie && launch_rabbitmq)
  done
  # node 1 fully up; the others booted (their AMQP port opens last), to be joined to it
  (select_node 1 && await_node)
  log "cluster: node 1 up ($((SECONDS - t0)) s)"
  local first; first="$(cluster_node_name 1)"
  for ((n = 2; n <= CLUSTER_SIZE; n++)); do
    (
      select_node "$n"
      await_node port-only
      ctl_quiet stop_app
      ctl_quiet join_cluster "$first"
      ctl_quiet start_app
      await_node port-only
    )
    log "cluster: node $n joined ($((SECONDS - t0)) s)"
  done
  (select_node 1 && ctl_quiet set_policy --apply-to queues oslo-rx-ha "$CLUSTER_POLICY_PATTERN" "$CLUSTER_POLICY")
  await_cluster 1
}

# Starts node N again with its data; it rejoins the cluster by itself.
restart_node() {
  local n=$1
  node_running "$n" && { log "cluster node $n already running"; return 0; }
  [[ -d "$CLUSTER_STATE/n$n/rabbitmq/mnesia" ]] || die "cluster node $n has no data to restart from (run: peers-cluster.sh start)"
  cluster_epmd start
  (select_node "$n" && launch_rabbitmq keep-data && await_node)
  await_cluster "$n"
}

kill_node() {
  local n=$1
  (
    select_node "$n"
    running rabbitmq || die "cluster node $n is not running"
    local wrapper beam
    wrapper="$(cat "$(pid_file rabbitmq)")"
    beam="$(cat "$RABBITMQ_DIR/rabbitmq.pid" 2>/dev/null || true)"
    [[ -n "$beam" ]] && pid_alive "$beam" || die "cluster node $n: no Erlang VM PID in $RABBITMQ_DIR/rabbitmq.pid"
    kill -KILL "$beam" "$wrapper" 2>/dev/null || true
    wait_port rabbitmq "" "$RABBITMQ_PORT" closed
    rm -f "$(pid_file rabbitmq)"
  )
}

cluster_url() {
  local n hosts=()
  for ((n = 1; n <= CLUSTER_SIZE; n++)); do hosts+=("guest:guest@$HOST:$(cluster_node_port "$n")"); done
  local IFS=,
  echo "amqp://${hosts[*]}"
}

# Adds the cluster's lines to .peers/peers.env (replacing earlier ones), which
# peers.sh rewrites at each start before calling this script.
write_cluster_env() {
  local env="$PEERS_STATE/peers.env"
  { grep -v -e '^export OSLO_RX_RABBITMQ_CLUSTER_URL=' -e '^export OSLO_RX_CLUSTER_SCRIPT=' "$env" 2>/dev/null || true
    echo "export OSLO_RX_RABBITMQ_CLUSTER_URL=$(cluster_url)"
    echo "export OSLO_RX_CLUSTER_SCRIPT=$CLUSTER_SCRIPT"
  } >"$env.cluster.tmp"
  mv "$env.cluster.tmp" "$env"
}

cluster_start() {
  local t0=$SECONDS n up=0
  for ((n = 1; n <= CLUSTER_SIZE; n++)); do node_running "$n" && up=$((up + 1)); done
  if ((up == 0)); then
    start_fresh_cluster
  else
    for ((n = 1; n <= CLUSTER_SIZE; n++)); do restart_node "$n"; done
  fi
  write_cluster_env
  log "rabbitmq cluster running ($((SECONDS - t0)) s): $(redact_url "$(cluster_url)")"
}

redact_url() { sed 's/:[^:@,/]*@/:****@/g' <<<"$1"; }

cluster_stop() {
  local n
  for ((n = 1; n <= CLUSTER_SIZE; n++)); do
    (select_node "$n" && stop_rabbitmq) &
  done
  wait
  cluster_epmd stop
  log "rabbitmq cluster stopped"
}

cluster_status() {
  local n port state all=0
  for ((n = 1; n <= CLUSTER_SIZE; n++)); do
    port="$(cluster_node_port "$n")"
    if node_running "$n"; then
      state="running, pid $(cat "$CLUSTER_STATE/n$n/rabbitmq.pid")"
      if port_open "$port"; then state+=", port open"; else state+=", port CLOSED"; all=1; fi
    else
      state=stopped all=1
    fi
    printf '%-10s %-16s %s\n' "cluster-$n" "$HOST:$port" "$state"
  done
  return $all
}

cluster_main() {
  local cmd=${1:-}
  [[ $# -gt 0 ]] && shift
  case $cmd in
    ctl)
      select_node "${1:-}"; shift
      rabbitmq_env; exec "$(rabbitmq_home)/sbin/rabbitmqctl" -n "$RABBITMQ_NODE" "$@" ;;
    status) cluster_status; return ;;
  esac
  mkdir -p "$PEERS_STATE"
  # fd 9, which spawn closes, so the nodes never hold the lock
  exec 9>"$PEERS_STATE/cluster.lock"
  flock -w "$((TIMEOUT * 5))" 9 || die "another peers-cluster.sh holds $PEERS_STATE/cluster.lock"
  case $cmd in
    start) cluster_start ;;
    stop) cluster_stop ;;
    kill) kill_node "${1:-}" ;;
    restart) restart_node "${1:-}" ;;
    *) sed -n '2,/^set -euo/p' "$CLUSTER_SCRIPT" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
  esac
}

cluster_main "$@"
