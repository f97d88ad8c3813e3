# Sourced by the scripts that start `newsdedup serve --listen 127.0.0.1:0` in the background.
# serve_port FILE prints the port of the server whose standard output goes to FILE, once its
# "listening on" line is there (up to 10 s), or nothing.
serve_port() {
  local port=""
  for _ in $(seq 1 100); do
    port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\) .*|\1|p' "$1")
    [ -n "$port" ] && break
    sleep 0.1
  done
  echo "$port"
}
