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

# free_port: a random port of 127.0.0.1 that nobody listens on now.  A port in use
# would make wait_port answer for someone else's listener while our server failed
# to bind (a CI run once met that: "Address already in use", then a refused fetch).
free_port() {
  local p
  for _ in $(seq 50); do
    p=$((20000 + RANDOM % 30000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
  done
  return 1
}

# serve ARGS...: start `openssl s_server -www -quiet ARGS` (log in $T/server.log)
# on a random free port; sets PORT.  Five tries, then "cannot start s_server", 2.
serve() {
  for _ in 1 2 3 4 5; do
    PORT=$(free_port) || continue
    openssl s_server -accept "127.0.0.1:$PORT" -www -quiet "$@" >"$T/server.log" 2>&1 &
    local pid=$!
    # listening, and it is ours: an s_server that could not bind has exited
    if wait_port "$PORT" && sleep 0.1 && kill -0 "$pid" 2>/dev/null; then
      PIDS="$PIDS $pid"; return 0
    fi
    kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  done
  echo "cannot start s_server"; return 2
}

# py_listener MODE: a Python listener on a port of 127.0.0.1 the kernel picks (no
# race with anyone else's), MODE silent (accepts, never answers) or http (answers
# every connection with an HTTP 400); sets PORT.
py_listener() {
  rm -f "$T/py.port"
  /usr/bin/python3 - "$1" "$T/py.port" <<'PY' &
import os, socket, sys, time
mode, portfile = sys.argv[1], sys.argv[2]
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(5)
with open(portfile + ".tmp", "w") as f:
    f.write(str(s.getsockname()[1]))
os.rename(portfile + ".tmp", portfile)
while True:
    c, _ = s.accept()
    if mode == "silent":
        time.sleep(20)
        break
    c.recv(4096)
    c.sendall(b"HTTP/1.0 400 Bad Request\r\n\r\n")
    c.close()
PY
  PIDS="$PIDS $!"
  for _ in $(seq 50); do [ -s "$T/py.port" ] && break; sleep 0.1; done
  PORT=$(cat "$T/py.port")
}
