#!/usr/bin/env bash
# s3-swift-start.sh: start a throw-away single-node OpenStack Swift with the S3 API
# (s3api + tempauth) on 127.0.0.1; the test fixtures use it as a real, signature-checking S3 server.
#
# Usage:  s3-swift-start.sh [WORKDIR]      (WORKDIR default: mktemp -d)
#         eval "$(cat WORKDIR/env)"         -> S3_ENDPOINT, S3_ACCESS_KEY, ...
#         s3-swift-stop.sh WORKDIR
# Env:    SWIFT_S3_PORT=<port>   fixed proxy (S3) port; default: a free one
#         SWIFT_S3_INSTALL=0     do not try to apt-get install python3-swift
#         SWIFT_S3_MEMCACHED=0   do not start memcached even if installed
set -euo pipefail

W="${1:-$(mktemp -d /tmp/swift-s3.XXXXXX)}"
mkdir -p "$W"
W="$(cd "$W" && pwd)"
T0=$(date +%s.%N)
PY=/usr/bin/python3   # Debian's python: a pyenv/venv python3 on PATH cannot import python3-swift

# --- 1. packages (Debian 12: python3-swift 2.30.1; no systemd needed) -------
if ! "$PY" -c 'import swift.common.middleware.s3api' 2>/dev/null; then
  if [ "${SWIFT_S3_INSTALL:-1}" = 1 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # python3-swift alone has everything needed (servers are started through
    # run_wsgi below); memcached is tiny and keeps tempauth's cache happy.
    apt-get install -y -qq --no-install-recommends python3-swift memcached >/dev/null
  else
    echo "python3-swift (swift >= 2.18 with s3api) is not installed" >&2; exit 1
  fi
fi

mkdir -p "$W/etc" "$W/srv/d1" "$W/log" "$W/run"

# --- 2. free loopback ports --------------------------------------------------
read -r P_PROXY P_ACC P_CON P_OBJ P_MC < <("$PY" - <<'EOF'
import os, socket
socks = []
for _ in range(5):
    s = socket.socket(); s.bind(('127.0.0.1', 0)); socks.append(s)
ports = [s.getsockname()[1] for s in socks]
if os.environ.get('SWIFT_S3_PORT'):
    ports[0] = int(os.environ['SWIFT_S3_PORT'])
print(*ports)
EOF
)

AK="test:tester"          # tempauth user "tester" in account "test" -> S3 access key
SK="testing"              # S3 secret key
USER_NAME="$(id -un)"

# --- 3. config files -----------------------------------------------------------
cat > "$W/etc/swift.conf" <<EOF
[swift-hash]
swift_hash_path_suffix = ci-$$-$RANDOM
[storage-policy:0]
name = Policy-0
default = yes
EOF

common() {   # $1 = port
cat <<EOF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $1
workers = 0
# ^ no pre-fork: one process per server, so its PID is all there is to stop
user = $USER_NAME
swift_dir = $W/etc
devices = $W/srv
mount_check = false
disable_fallocate = true
# ^ mount_check=false: $W/srv/d1 is a plain directory (needs user.* xattr support; verified on ext4)
log_level = ${SWIFT_S3_LOG_LEVEL:-INFO}
log_address = $W/log/nonexistent-syslog-socket
# ^ no syslog: logs go to stderr (verbose=True in run-server.py) -> $W/log/*.log
EOF
}
{ common "$P_ACC"; cat <<EOF
[pipeline:main]
pipeline = account-server
[app:account-server]
use = egg:swift#account
EOF
} > "$W/etc/account-server.conf"
{ common "$P_CON"; cat <<EOF
[pipeline:main]
pipeline = container-server
[app:container-server]
use = egg:swift#container
EOF
} > "$W/etc/container-server.conf"
{ common "$P_OBJ"; cat <<EOF
[pipeline:main]
pipeline = object-server
[app:object-server]
use = egg:swift#object
EOF
} > "$W/etc/object-server.conf"

MC_LINE="memcache_servers = 127.0.0.1:$P_MC"
{ common "$P_PROXY"; cat <<EOF
[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats s3api tempauth copy slo dlo proxy-logging proxy-server
[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
[filter:s3api]
use = egg:swift#s3api
location = us-east-1
storage_domain = ${SWIFT_S3_DOMAIN:-localhost}
max_upload_part_num = 10000
[filter:tempauth]
use = egg:swift#tempauth
user_test_tester = $SK .admin
[filter:cache]
use = egg:swift#memcache
$MC_LINE
[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:copy]
use = egg:swift#copy
[filter:slo]
use = egg:swift#slo
[filter:dlo]
use = egg:swift#dlo
EOF
} > "$W/etc/proxy-server.conf"

# launcher: read swift.conf from $W/etc instead of /etc/swift, then run_wsgi
cat > "$W/etc/run-server.py" <<'EOF'
import sys
from swift.common import utils
utils.set_swift_dir(sys.argv[1])
from swift.common.wsgi import run_wsgi
sys.exit(run_wsgi(sys.argv[2], sys.argv[3], verbose=True))
EOF

# --- 4. rings (1 replica, 1 device each) -------------------------------------
"$PY" - "$W/etc" "$P_ACC" "$P_CON" "$P_OBJ" <<'EOF'
import sys
from swift.common.ring import RingBuilder
d, ports = sys.argv[1], dict(zip(('account', 'container', 'object'), map(int, sys.argv[2:5])))
for name, port in ports.items():
    b = RingBuilder(6, 1, 1)          # 64 partitions, 1 replica
    b.add_dev({'region': 1, 'zone': 1, 'ip': '127.0.0.1', 'port': port,
               'device': 'd1', 'weight': 1})
    b.rebalance()
    b.get_ring().save('%s/%s.ring.gz' % (d, name))
EOF

# --- 5. start ------------------------------------------------------------------
if [ "${SWIFT_S3_MEMCACHED:-1}" = 1 ] && command -v memcached >/dev/null; then
  memcached -l 127.0.0.1 -p "$P_MC" -U 0 -m 16 -u "$USER_NAME" >"$W/log/memcached.log" 2>&1 &
  echo $! > "$W/run/memcached.pid"
fi
for s in account container object proxy; do
  "$PY" "$W/etc/run-server.py" "$W/etc" "$W/etc/$s-server.conf" "$s-server" \
      >"$W/log/$s.log" 2>&1 </dev/null &
  echo $! > "$W/run/$s.pid"
done

# --- 6. wait until ready ------------------------------------------------------
# on failure: show logs, stop what we started (by PID)
fail() { echo "$*" >&2; tail -n 20 "$W"/log/*.log >&2
         for f in "$W"/run/*.pid; do kill "$(cat "$f")" 2>/dev/null; done; exit 1; }
# ready = every backend answers HTTP, proxy /healthcheck is 200, a SigV2-signed
# S3 ListBuckets with the test key is 200 and one with a wrong secret is 403
"$PY" - "$P_PROXY" "$AK" "$SK" "$P_ACC" "$P_CON" "$P_OBJ" "$W/run" <<'EOF2' || fail "swift did not become ready"
import base64, glob, hmac, hashlib, os, sys, time, http.client
from email.utils import formatdate
proxy, ak, sk, run = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[7]
backends = [int(p) for p in sys.argv[4:7]]
def req(port, path, headers=None):
    c = http.client.HTTPConnection('127.0.0.1', port, timeout=2)
    c.request('GET', path, headers=headers or {})
    r = c.getresponse(); r.read(); c.close(); return r.status
def s3(secret):
    date = formatdate(usegmt=True)
    sig = base64.b64encode(hmac.new(secret.encode(), ('GET\n\n\n%s\n/' % date).encode(),
                                    hashlib.sha1).digest()).decode()
    return req(proxy, '/', {'Date': date, 'Authorization': 'AWS %s:%s' % (ak, sig)})
deadline = time.time() + 60
while time.time() < deadline:
    for f in glob.glob(run + '/*.pid'):
        try: os.kill(int(open(f).read()), 0)
        except OSError: sys.exit('%s died' % os.path.basename(f))
    try:
        for p in backends: req(p, '/')
        if req(proxy, '/healthcheck') == 200 and s3(sk) == 200 and s3(sk + 'x') == 403:
            sys.exit(0)
    except OSError:
        pass
    time.sleep(0.05)
sys.exit('timeout')
EOF2

cat > "$W/env" <<EOF
export S3_ENDPOINT=127.0.0.1:$P_PROXY
export S3_URL=http://127.0.0.1:$P_PROXY
export S3_ACCESS_KEY=$AK
export S3_SECRET_KEY=$SK
export S3_REGION=us-east-1
export SWIFT_S3_DIR=$W
EOF
T1=$(date +%s.%N)
cat "$W/env"
echo "# swift s3api ready in $("$PY" -c "print(round($T1-$T0,2))")s; stop with: s3-swift-stop.sh $W" >&2
