#!/usr/bin/env bash
# Measures admission control under an INVITE flood (issue 14's closing figures): starts the
# server (embedded engine, default admission settings) on a free port, floods it from
# 127.0.0.2 with sipp at RATE calls/s for CALLS calls (bounded), places legitimate calls from
# 127.0.0.3 meanwhile, then prints offered and admitted counts, the legitimate callers' setup
# times and the server's peak memory (VmHWM).
# Usage: bash scripts/measure-flood.sh [RATE=1000] [CALLS=10000]   (needs sipp; Linux loopback)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rate="${1:-1000}"
calls="${2:-10000}"
work="$(mktemp -d)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
sip_port="$(free_port)"; http_port="$(free_port)"; metrics_port="$(free_port)"; sipp_port="$(free_port)"; cp_port="$(free_port)"
cd "${here}"
SIP_LISTEN="127.0.0.1:${sip_port}" HTTP_LISTEN="127.0.0.1:${http_port}" METRICS_LISTEN="127.0.0.1:${metrics_port}" \
  DATA_DIR="${work}/data" LOG_LEVEL=warn RTP_PORT_MIN=21000 RTP_PORT_MAX=22998 \
  node --import tsx src/main.ts >"${work}/server.out" 2>"${work}/server.err" &
server=$!
trap 'kill ${server} 2>/dev/null || true; wait ${server} 2>/dev/null || true; rm -rf "${work}"' EXIT
for _ in $(seq 1 100); do grep -q 'Dial:' "${work}/server.out" 2>/dev/null && break; sleep 0.2; done
echo "server pid ${server} on 127.0.0.1:${sip_port}; flood ${calls} calls at ${rate}/s from 127.0.0.2"
start=$(date +%s.%N)
# -recv_timeout: a dropped call fails after 4 s instead of waiting for Timer B.
sipp "127.0.0.1:${sip_port}" -sn uac -s 1000 -i 127.0.0.2 -p "${sipp_port}" -ci 127.0.0.1 -cp "${cp_port}" \
  -r "${rate}" -m "${calls}" -l 5000 -recv_timeout 4000 -timeout 40s -nostdin -trace_stat -stf "${work}/stat.csv" \
  >"${work}/sipp.out" 2>&1 &
sipp_pid=$!
sleep 2
node --import tsx scripts/flood-legit-caller.ts "127.0.0.1:${sip_port}" 6 | tee "${work}/legit.jsonl"
wait ${sipp_pid} || true
end=$(date +%s.%N)
echo "flood took $(python3 -c "print(round(${end}-${start},1))") s"
curl -s "http://127.0.0.1:${metrics_port}/metrics" | grep -E '^dialbridge_calls_(offered|answered|admission)_total|^dialbridge_calls_rejected_total' | grep -v ' 0$' || true
grep -E 'VmHWM|VmRSS' "/proc/${server}/status"
echo "server CPU time (user+system, s): $(awk '{print ($14+$15)/100}' "/proc/${server}/stat")"
python3 - "${work}/stat.csv" <<'PY' || true
import sys
rows = [l.rstrip('\n').split(';') for l in open(sys.argv[1]) if l.strip()]
head, last = rows[0], rows[-1]
pick = lambda name: last[head.index(name)] if name in head else '?'
print(f"sipp: calls created {pick('TotalCallCreated')}, successful {pick('SuccessfulCall(C)')}, failed {pick('FailedCall(C)')}, of which timeouts {pick('FailedCallRejected(C)')} rejected / {pick('FailedMaxUDPRetrans(C)')} max-retrans / {pick('FailedUnexpectedMessage(C)')} unexpected")
PY
