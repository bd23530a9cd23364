#!/bin/bash
# Local servers for `pseconv probe` tests, on 127.0.0.1 only, each with a
# bounded lifetime (killed by `timeout` even if nobody stops them).
#
#   scripts/probe-servers.sh start DIR [SECONDS]   start, write DIR/servers.env
#   scripts/probe-servers.sh stop DIR              stop what start started
#
# DIR/servers.env sets these ports (source it):
#   PORT_SSERVER   openssl s_server: the fake CPI load balancer chain (lb-server +
#                  lb-intermediate), client certificate required and verified (-Verify,
#                  -verify_return_error), trusts and
#                  names the Nordwind root (-CAfile sends it as acceptable CA name), -www
#   PORT_SAPCAS    the same chain, but accepts only SAP's client CAs (hci-root):
#                  a Nordwind client certificate is not in its list
#   PORT_HTTP      python3 ssl HTTPS server, same chain, client certificate required
#                  (Nordwind CAs): 200 for the certificates in DIR/ok.sha256, 403 for
#                  those in DIR/forbidden.sha256, 401 for any other (one SHA-256 a line)
#   PORT_PROXY     python3 HTTP CONNECT proxy (CONNECT to 127.0.0.1 only; logs each
#                  CONNECT to DIR/proxy.log)
#   PORT_DOWN      a port nobody listens on
# The fixtures come from fixtures/pki (PSECONV_FIXTURES overrides).
set -eu
HERE=$(cd "$(dirname "$0")/.." && pwd)
FX=${PSECONV_FIXTURES:-$HERE/fixtures}/pki
PY=/usr/bin/python3
cmd=${1:-}
DIR=${2:-}
[ -n "$cmd" ] && [ -n "$DIR" ] || { echo "usage: $0 start|stop DIR [SECONDS]" >&2; exit 2; }

if [ "$cmd" = stop ]; then
  [ -f "$DIR/pids" ] || exit 0
  while read -r pid; do kill "$pid" 2>/dev/null || true; done <"$DIR/pids"
  rm -f "$DIR/pids"
  exit 0
fi
[ "$cmd" = start ] || { echo "usage: $0 start|stop DIR [SECONDS]" >&2; exit 2; }
LIFE=${3:-120}
mkdir -p "$DIR"
: >"$DIR/pids"
touch "$DIR/ok.sha256" "$DIR/forbidden.sha256"

free_port() {
  "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
wait_port() {  # wait_port PORT: until something accepts there (5 s at most)
  for _ in $(seq 50); do
    if "$PY" -c 'import socket,sys; socket.create_connection(("127.0.0.1",int(sys.argv[1])),0.2).close()' "$1" 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  echo "probe-servers: nothing listens on 127.0.0.1:$1" >&2
  return 1
}

PORT_SSERVER=$(free_port)
PORT_SAPCAS=$(free_port)
PORT_HTTP=$(free_port)
PORT_PROXY=$(free_port)
PORT_DOWN=$(free_port)

# openssl s_server: -Verify requires a client certificate; -CAfile both verifies it and
# lists the file's subjects as acceptable CA names in the CertificateRequest.
for pair in "$PORT_SSERVER:$FX/corp-root.crt" "$PORT_SAPCAS:$FX/hci-root.crt"; do
  timeout "$LIFE" openssl s_server -quiet -accept "127.0.0.1:${pair%%:*}" \
    -cert "$FX/lb-server.crt" -key "$FX/lb-server.key" -cert_chain "$FX/lb-intermediate.crt" \
    -Verify 2 -verify_return_error -CAfile "${pair#*:}" -www >"$DIR/s_server.${pair%%:*}.log" 2>&1 </dev/null &
  echo $! >>"$DIR/pids"
done

cat "$FX/lb-server.crt" "$FX/lb-intermediate.crt" >"$DIR/lb-chain.pem"
cat >"$DIR/https_server.py" <<'EOF'
import hashlib, http.server, ssl, sys
port, d, chain, key, ca = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
def listed(name, fp):
    with open(d + "/" + name) as f:
        return fp in f.read().split()
class H(http.server.BaseHTTPRequestHandler):
    def answer(self, body):
        der = self.connection.getpeercert(binary_form=True)
        fp = hashlib.sha256(der).hexdigest() if der else ""
        code = 200 if listed("ok.sha256", fp) else 403 if listed("forbidden.sha256", fp) else 401
        self.send_response(code)
        self.send_header("Content-Length", "3")
        self.end_headers()
        if body:
            self.wfile.write(b"%d" % code)
    def do_HEAD(self): self.answer(False)
    def do_GET(self): self.answer(True)
    def log_message(self, *a): pass
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(chain, key)
ctx.load_verify_locations(ca)
ctx.verify_mode = ssl.CERT_REQUIRED
srv = http.server.ThreadingHTTPServer(("127.0.0.1", port), H)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
srv.serve_forever()
EOF
cat "$FX/corp-root.crt" "$FX/corp-issuing.crt" >"$DIR/corp-cas.pem"
timeout "$LIFE" "$PY" "$DIR/https_server.py" "$PORT_HTTP" "$DIR" "$DIR/lb-chain.pem" \
  "$FX/lb-server.key" "$DIR/corp-cas.pem" >"$DIR/https_server.log" 2>&1 </dev/null &
echo $! >>"$DIR/pids"

cat >"$DIR/connect_proxy.py" <<'EOF'
import select, socket, socketserver, sys
port, log = int(sys.argv[1]), sys.argv[2]
class P(socketserver.BaseRequestHandler):
    def handle(self):
        c = self.request
        head = b""
        while b"\r\n\r\n" not in head and len(head) < 8192:
            b = c.recv(1)
            if not b:
                return
            head += b
        parts = head.split(b"\r\n")[0].split()
        target = parts[1].decode() if len(parts) == 3 and parts[0] == b"CONNECT" else ""
        host, _, p = target.rpartition(":")
        with open(log, "a") as f:
            f.write("CONNECT %s\n" % target)
        if host != "127.0.0.1" or not p.isdigit():
            c.sendall(b"HTTP/1.1 403 Forbidden\r\n\r\n")
            return
        try:
            u = socket.create_connection((host, int(p)), 5)
        except OSError:
            c.sendall(b"HTTP/1.1 502 Bad Gateway\r\n\r\n")
            return
        c.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        socks = [c, u]
        while True:
            r, _, _ = select.select(socks, [], [], 30)
            if not r:
                break
            for s in r:
                data = s.recv(65536)
                if not data:
                    u.close()
                    return
                (u if s is c else c).sendall(data)
socketserver.ThreadingTCPServer.allow_reuse_address = True
socketserver.ThreadingTCPServer.daemon_threads = True
socketserver.ThreadingTCPServer(("127.0.0.1", port), P).serve_forever()
EOF
: >"$DIR/proxy.log"
timeout "$LIFE" "$PY" "$DIR/connect_proxy.py" "$PORT_PROXY" "$DIR/proxy.log" \
  >"$DIR/connect_proxy.log" 2>&1 </dev/null &
echo $! >>"$DIR/pids"

for p in "$PORT_SSERVER" "$PORT_SAPCAS" "$PORT_HTTP" "$PORT_PROXY"; do wait_port "$p"; done
cat >"$DIR/servers.env" <<EOF
PORT_SSERVER=$PORT_SSERVER
PORT_SAPCAS=$PORT_SAPCAS
PORT_HTTP=$PORT_HTTP
PORT_PROXY=$PORT_PROXY
PORT_DOWN=$PORT_DOWN
EOF
