#!/bin/bash
# pseconv fetch against `openssl s_server` on 127.0.0.1: the chain as sent,
# the root verdict, writers by extension, SNI, and every failure mode
# (refused, timeout, unknown host, not TLS) as exit 3 with one line.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/servers.sh"

cat "$FX/lb-intermediate.crt" >"$T/lb-chain.pem"
cat "$FX/lb-intermediate.crt" "$FX/lb-root.crt" >"$T/lb-fullchain.pem"
LEAF=$(fp "$FX/lb-server.crt"); INTER=$(fp "$FX/lb-intermediate.crt"); ROOT=$(fp "$FX/lb-root.crt")

# --- the worker node: leaf + intermediate, no root (seed A.1.b) ---
serve -cert "$FX/lb-server.crt" -key "$FX/lb-server.key" -cert_chain "$T/lb-chain.pem"
run "$PSECONV" fetch "127.0.0.1:$PORT" -o "$T/worker.pem"
expect_rc 0 "fetch worker node chain"
expect_eq "$(fps_pem "$T/worker.pem" | tr '\n' ' ')" "$LEAF $INTER " "saved the 2 certificates as sent, leaf first"
expect_contains "$OUT" "the server sent 2 certificates" "summary counts certificates"
expect_contains "$OUT" "subject: CN=*.it-cpi001-rt.cfapps.eu10.hana.ondemand.com" "summary shows the leaf subject"
expect_contains "$OUT" "issuer:  CN=Fake DigiCert Global G2 TLS RSA SHA256 2020 CA1" "summary shows issuers"
expect_contains "$OUT" "root: NOT sent" "says the root was not sent"
expect_contains "$OUT" "CN=Fake DigiCert Global Root G2" "names the missing root"
expect_contains "$OUT" "from the CA's website" "says where to get the root"
expect_contains "$OUT" "saved 2 certificates to $T/worker.pem (pem)" "says where it saved"
expect_eq "$(stat -c %a "$T/worker.pem")" "644" "saved chain is 0644 (no key)"

run "$PSECONV" fetch "127.0.0.1:$PORT" -o "$T/worker.pem"
expect_rc 4 "existing output without --force"
expect_one_error_line "existing output: one error line"
expect_contains "$ERR" "--force" "existing output: names --force"

run "$PSECONV" fetch "127.0.0.1:$PORT" -o "$T/worker.p7b"
expect_rc 0 "fetch -o x.p7b"
P7=$(openssl pkcs7 -inform DER -in "$T/worker.p7b" -print_certs 2>/dev/null >"$T/p7.pem" && fps_pem "$T/p7.pem" | tr '\n' ' ')
expect_eq "$P7" "$LEAF $INTER " "p7b writer chosen by extension (DER PKCS#7 openssl reads)"

run "$PSECONV" fetch "127.0.0.1:$PORT" -o -
expect_rc 0 "fetch -o -"
printf '%s\n' "$OUT" >"$T/stdout.pem"
expect_eq "$(fps_pem "$T/stdout.pem" | tr '\n' ' ')" "$LEAF $INTER " "-o - writes the PEM chain to stdout"
expect_contains "$ERR" "root: NOT sent" "-o -: the summary goes to stderr"

run "$PSECONV" fetch "127.0.0.1:$PORT"
expect_rc 0 "fetch without -o"
expect_contains "$OUT" "nothing saved" "without -o nothing is saved and it says so"
cleanup_servers

# --- a server that sends its root ---
serve -cert "$FX/lb-server.crt" -key "$FX/lb-server.key" -cert_chain "$T/lb-fullchain.pem"
run "$PSECONV" fetch "127.0.0.1:$PORT" -o "$T/full.pem"
expect_rc 0 "fetch full chain"
expect_eq "$(fps_pem "$T/full.pem" | tr '\n' ' ')" "$LEAF $INTER $ROOT " "full chain saved with the root"
expect_contains "$OUT" "root: sent (CN=Fake DigiCert Global Root G2" "says the root was sent"
cleanup_servers

# --- SNI: --servername picks the virtual host ---
serve -cert "$FX/lb-server.crt" -key "$FX/lb-server.key" \
      -servername c4c.example -cert2 "$FX/c4c-server.crt" -key2 "$FX/c4c-server.key"
run "$PSECONV" fetch "127.0.0.1:$PORT" -o "$T/default.pem"
expect_eq "$(fps_pem "$T/default.pem" | head -1)" "$LEAF" "no SNI for an IP address: default certificate"
run "$PSECONV" fetch "127.0.0.1:$PORT" --servername c4c.example -o "$T/sni.pem"
expect_rc 0 "fetch --servername"
expect_eq "$(fps_pem "$T/sni.pem" | head -1)" "$(fp "$FX/c4c-server.crt")" "--servername selects the SNI certificate"
cleanup_servers

# --- a server that demands a client certificate (TLS 1.2 aborts the handshake) ---
serve -cert "$FX/lb-server.crt" -key "$FX/lb-server.key" -cert_chain "$T/lb-chain.pem" \
      -Verify 1 -CAfile "$FX/hci-root.crt" -no_tls1_3
run "$PSECONV" fetch "127.0.0.1:$PORT" -o "$T/mtls.pem"
expect_rc 0 "fetch from a server that demands a client certificate"
expect_eq "$(fps_pem "$T/mtls.pem" | tr '\n' ' ')" "$LEAF $INTER " "chain saved although the handshake was aborted"
expect_contains "$OUT" "handshake did not complete" "says the handshake did not complete"
cleanup_servers

# --- failures: exit 3, one line ---
# a port nobody listens on: take a free port from the kernel, then close it
FREE=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
run "$PSECONV" fetch "127.0.0.1:$FREE" -o "$T/refused.pem"
expect_rc 3 "connection refused"
expect_one_error_line "connection refused: one error line"
expect_contains "$ERR" "cannot connect to 127.0.0.1:$FREE: Connection refused" "connection refused: says so"
expect_no_file "$T/refused.pem" "connection refused: no output file"

# a listener that accepts and never answers
py_listener silent
START=$(date +%s%N)
run "$PSECONV" fetch "127.0.0.1:$PORT" --timeout 1 -o "$T/slow.pem"
MS=$(( ($(date +%s%N) - START) / 1000000 ))
expect_rc 3 "silent server: timeout"
expect_one_error_line "timeout: one error line"
expect_contains "$ERR" "did not finish within the timeout" "timeout: says so"
if [ "$MS" -ge 900 ] && [ "$MS" -lt 3000 ]; then ok "timeout honoured (${MS} ms for --timeout 1)"; else bad "timeout took ${MS} ms for --timeout 1"; fi
cleanup_servers

# a server that speaks plain HTTP
py_listener http
run "$PSECONV" fetch "127.0.0.1:$PORT" --timeout 5
expect_rc 3 "plain HTTP port"
expect_one_error_line "plain HTTP port: one error line"
expect_contains "$ERR" "TLS handshake failed" "plain HTTP port: handshake failed"
cleanup_servers

run "$PSECONV" fetch no-such-host.invalid --timeout 5
expect_rc 3 "unknown host"
expect_one_error_line "unknown host: one error line"
expect_contains "$ERR" "cannot resolve no-such-host.invalid" "unknown host: names it"

# --- usage ---
run "$PSECONV" fetch
expect_rc 2 "no host"
run "$PSECONV" fetch "127.0.0.1:99999"
expect_rc 2 "port out of range"
run "$PSECONV" fetch "https:///path"
expect_rc 2 "a URL without a host (URLs are accepted: test_fetch_safety.sh)"
expect_contains "$ERR" "no host in the URL" "says so"
run "$PSECONV" fetch 127.0.0.1 --timeout abc
expect_rc 2 "bad --timeout"
run "$PSECONV" fetch --help
expect_rc 0 "--help"
expect_contains "$OUT" "HOST[:PORT]" "--help shows the synopsis"

finish
