# Sourced by pipeline-ab.sh and paired-arms.sh: starts nginx (one worker, on CPU 1) serving /json
# (payload/user.json) on 127.0.0.1:$PORT, installing nginx-light when missing. Sets NGX (its directory) and
# stop_json_nginx, which the caller's EXIT trap must run.
start_json_nginx() { # $1: repository root, $2: port
	if ! command -v nginx >/dev/null && [[ ! -x /usr/sbin/nginx ]]; then
		apt-get update -qq && apt-get install -y -qq nginx-light >/dev/null
	fi
	local nginx
	nginx=$(command -v nginx || echo /usr/sbin/nginx)
	NGX=$(mktemp -d)
	mkdir -p "$NGX/html" "$NGX/logs"
	cp "$1/benchmarks/payload/user.json" "$NGX/html/json.json"
	chmod -R a+rX "$NGX"
	cat > "$NGX/nginx.conf" <<CONF
worker_processes 1;
pid $NGX/nginx.pid;
error_log $NGX/logs/error.log warn;
events { worker_connections 4096; }
http {
	access_log off;
	keepalive_requests 100000000;
	keepalive_timeout 120s;
	server {
		listen 127.0.0.1:$2 reuseport backlog=4096;
		root $NGX/html;
		location = /json { default_type application/json; try_files /json.json =404; }
	}
}
CONF
	taskset -c 1 "$nginx" -p "$NGX" -c "$NGX/nginx.conf"
}

stop_json_nginx() {
	[[ -n "${NGX:-}" && -f "$NGX/nginx.pid" ]] && kill "$(cat "$NGX/nginx.pid")" 2>/dev/null
	[[ -n "${NGX:-}" ]] && rm -rf "$NGX"
	return 0
}
