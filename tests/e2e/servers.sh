# Local TLS servers for end-to-end tests (sourced after lib.sh): openssl
# s_server on a random free port of 127.0.0.1, stopped at exit.
PIDS=""
cleanup_servers() { for p in $PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; PIDS=""; }
trap 'cleanup_servers; rm -rf "$T"' EXIT

# wait_port PORT: up to 5 s for a listener on 127.0.0.1:PORT
wait_port() {
  for _ in $(seq 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# serve ARGS...: start `openssl s_server -www -quiet ARGS` (log in $T/server.log)
# on a random free port; sets PORT.  Five tries, then "cannot start s_server", 2.
serve() {
  for _ in 1 2 3 4 5; do
    PORT=$((20000 + RANDOM % 30000))
    openssl s_server -accept "127.0.0.1:$PORT" -www -quiet "$@" >"$T/server.log" 2>&1 &
    local pid=$!
    if wait_port "$PORT"; then PIDS="$PIDS $pid"; return 0; fi
    kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  done
  echo "cannot start s_server"; return 2
}
