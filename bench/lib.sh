# Shared by the bench scripts (sourced): medians, one timed run of bin/plumb, and the machine line.

home="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# Runs `bin/plumb ARGS...` once as a user would (text output); prints "engine_ms wall_ms". The engine time is
# the one the summary line reports, as in "local: 2203 resources, 0 drifted, 0 failed (48 ms)".
timed() {
  local start end engine
  start=$(date +%s%N)
  # apply and check exit 2 when they changed or found something; that is expected here.
  engine=$( ("$home/bin/plumb" "$@" || true) | sed -n 's/^local: .*(\([0-9]*\) ms)$/\1/p')
  end=$(date +%s%N)
  echo "$engine $(( (end - start) / 1000000 ))"
}

machine() {
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME")"
}
