#!/usr/bin/env bash
# The TLS endpoints of oslo-rx's security tests, on loopback, started by scripts/peers.sh
# (one line in its start, stop, status and env) or alone:
#
#   a throwaway PKI      made with openssl by scripts/tls-certs.sh        $STATE/tls
#   rabbitmq-tls         a RabbitMQ 3.10 node of its own: TLS listener for AMQP 1.0 with
#                        client certificates required, SASL PLAIN and EXTERNAL
#                        (rabbitmq_auth_mechanism_ssl, user = certificate CN)
#                                                             OSLO_RX_TLS_RABBITMQ_TLS_PORT 27701
#                        (its plain port 27700, epmd 27702, distribution 27703, ctl 27704-27708)
#   proton-tls           Qpid Proton (python3-qpid-proton) TLS endpoint, four listeners:
#                        good certificate 27710, expired 27711, wrong name 27712,
#                        client certificate required + EXTERNAL only 27713
#
# Usage: scripts/peers-tls.sh start | stop | status | env
# State lives in OSLO_RX_PEERS_DIR (default .peers/ at the repository root), like peers.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${OSLO_RX_PEERS_DIR:-$ROOT/.peers}"
HOST=127.0.0.1
TIMEOUT="${OSLO_RX_PEERS_TIMEOUT:-60}"
PYTHON=/usr/bin/python3
TLS_DIR="$STATE/tls"
RABBIT_STATE="$STATE/rabbitmq-tls"
BASE="${OSLO_RX_TLS_BASE_PORT:-27700}"
RABBIT_PORT=$BASE RABBIT_TLS_PORT=$((BASE + 1))
PROTON_PORTS=($((BASE + 10)) $((BASE + 11)) $((BASE + 12)) $((BASE + 13)))
# the PLAIN user of the RabbitMQ node (the password has characters a URL must percent-encode)
RABBIT_USER=tls-user
RABBIT_PASSWORD='Tls p@ss:w/rd%'
CLIENT_CN=oslo-rx-client

log() { echo "peers-tls: $*" >&2; }
die() { log "error: $*"; exit 1; }

port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null; }

wait_port() {
  local port=$1 pid=$2 logf=$3 deadline=$((SECONDS + TIMEOUT))
  until port_open "$port"; do
    if ! kill -0 "$pid" 2>/dev/null || ((SECONDS >= deadline)); then
      tail -n 30 "$logf" >&2 || true
      die "port $port did not open"
    fi
    sleep 0.2
  done
}

# the environment that points peers.sh at the node of our own
rabbit() {
  OSLO_RX_PEERS_DIR="$RABBIT_STATE" \
    OSLO_RX_RABBITMQ_PORT="$RABBIT_PORT" OSLO_RX_RABBITMQ_EPMD_PORT=$((BASE + 2)) \
    OSLO_RX_RABBITMQ_DIST_PORT=$((BASE + 3)) OSLO_RX_RABBITMQ_CTL_PORT_MIN=$((BASE + 4)) \
    OSLO_RX_RABBITMQ_NODE=oslorx-tls@localhost \
    OSLO_RX_RABBITMQ_PLUGINS=rabbitmq_amqp1_0,rabbitmq_auth_mechanism_ssl \
    OSLO_RX_RABBITMQ_EXTRA_CONFIG="listeners.ssl.default = $HOST:$RABBIT_TLS_PORT
ssl_options.cacertfile = $TLS_DIR/ca.pem
ssl_options.certfile = $TLS_DIR/server.pem
ssl_options.keyfile = $TLS_DIR/server.key
ssl_options.verify = verify_peer
ssl_options.fail_if_no_peer_cert = true
auth_mechanisms.1 = PLAIN
auth_mechanisms.2 = EXTERNAL
ssl_cert_login_from = common_name" \
    bash "$ROOT/scripts/peers.sh" "$@"
}

proton_pid() { cat "$STATE/proton-tls.pid" 2>/dev/null; }
proton_running() {
  local pid; pid="$(proton_pid)" || return 1
  [[ -n "$pid" ]] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q proton_tls_endpoint.py
}

start_proton() {
  if proton_running; then log "proton-tls already running"; return 0; fi
  local p
  for p in "${PROTON_PORTS[@]}"; do port_open "$p" && die "$HOST:$p is already used by a process this script did not start"; done
  local t=$TLS_DIR
  setsid "$PYTHON" -u "$ROOT/scripts/proton_tls_endpoint.py" \
    --listener "port=${PROTON_PORTS[0]},cert=$t/server.pem,key=$t/server.key" \
    --listener "port=${PROTON_PORTS[1]},cert=$t/server-expired.pem,key=$t/server-expired.key" \
    --listener "port=${PROTON_PORTS[2]},cert=$t/server-wrong-name.pem,key=$t/server-wrong-name.key" \
    --listener "port=${PROTON_PORTS[3]},cert=$t/server.pem,key=$t/server.key,ca=$t/ca.pem,mechs=EXTERNAL" \
    </dev/null >"$STATE/proton-tls.log" 2>&1 8>&- 9>&- &
  echo $! >"$STATE/proton-tls.pid"
  for p in "${PROTON_PORTS[@]}"; do wait_port "$p" "$(proton_pid)" "$STATE/proton-tls.log"; done
}

stop_proton() {
  if proton_running; then
    local pid i; pid="$(proton_pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$STATE/proton-tls.pid"
}

start_rabbit() {
  # fd 8 (our lock) must not live on in the node
  rabbit rabbitmq-alone start 8>&-
  wait_port "$RABBIT_TLS_PORT" "$(cat "$RABBIT_STATE/rabbitmq.pid")" "$RABBIT_STATE/rabbitmq.log"
  # EXTERNAL logs in as the certificate's CN; PLAIN as tls-user
  rabbit ctl add_user "$CLIENT_CN" "$(head -c 24 /dev/urandom | base64)" >/dev/null 2>&1 || true
  rabbit ctl add_user "$RABBIT_USER" "$RABBIT_PASSWORD" >/dev/null 2>&1 || true
  local user
  for user in "$CLIENT_CN" "$RABBIT_USER"; do rabbit ctl set_permissions -p / "$user" '.*' '.*' '.*' >/dev/null; done
}

cmd_env() {
  cat <<ENV
export OSLO_RX_TLS_DIR=$TLS_DIR
export OSLO_RX_RABBITMQ_TLS_URL=amqps://$HOST:$RABBIT_TLS_PORT
export OSLO_RX_RABBITMQ_TLS_USER=$RABBIT_USER
export OSLO_RX_RABBITMQ_TLS_PASSWORD='$RABBIT_PASSWORD'
export OSLO_RX_PROTON_TLS_URL=amqps://$HOST:${PROTON_PORTS[0]}
export OSLO_RX_PROTON_TLS_EXPIRED_URL=amqps://$HOST:${PROTON_PORTS[1]}
export OSLO_RX_PROTON_TLS_WRONG_NAME_URL=amqps://$HOST:${PROTON_PORTS[2]}
export OSLO_RX_PROTON_TLS_MUTUAL_URL=amqps://$HOST:${PROTON_PORTS[3]}
ENV
}

cmd_status() {
  local all=0 state
  if [[ -s "$RABBIT_STATE/rabbitmq.pid" ]] && port_open "$RABBIT_TLS_PORT"; then state=running; else state=stopped all=1; fi
  printf '%-10s %-16s %s\n' rabbit-tls "$HOST:$RABBIT_TLS_PORT" "$state"
  if proton_running; then state="running, pid $(proton_pid)"; else state=stopped all=1; fi
  printf '%-10s %-16s %s\n' proton-tls "$HOST:${PROTON_PORTS[0]}-${PROTON_PORTS[3]}" "$state"
  return $all
}

main() {
  local cmd=${1:-}
  case $cmd in
    env) cmd_env; return ;;
    status) cmd_status; return ;;
  esac
  mkdir -p "$STATE"
  exec 8>"$STATE/tls.lock"
  flock -w "$((TIMEOUT * 5))" 8 || die "another peers-tls.sh holds $STATE/tls.lock"
  case $cmd in
    start)
      local t0=$SECONDS
      bash "$ROOT/scripts/tls-certs.sh" "$TLS_DIR"
      start_proton
      start_rabbit
      log "TLS peers running ($((SECONDS - t0)) s)"
      ;;
    stop)
      stop_proton
      rabbit rabbitmq-alone stop
      ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
  esac
}

main "$@"
