# Shared by the bench scripts (sourced): the generated project, medians, one timed run of bin/plumb, peak memory,
# the JVM bin/plumb runs, and the machine line.

home="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
# find_java_home and plumb_jvm_flags: the JVM bin/plumb runs, and its flags.
. "$home/bin/plumb-java.sh"

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
minimum() { sort -n | head -1; }
maximum() { sort -n | tail -1; }

# Writes $project: STATIC static files (every other one from files/, the rest inline) and TEMPLATED pages from one
# template that reads vars, host data and facts, all under the var root.
generate() {
  local static="$1" templated="$2"
  rm -rf "$project"
  mkdir -p "$project/roles" "$project/templates" "$project/files"
  printf 'name: bench\nenvironments: [prod]\n' > "$project/plumb.yaml"
  printf 'groups:\n  web: { roles: [site] }\nhosts:\n  local: { connection: local, groups: [web], env: prod }\n' > "$project/inventory.yaml"
  cat > "$project/templates/page.j2" <<'T'
<!doctype html>
<title>{{ site_name }}: page {{ item }}</title>
<p>Rendered for {{ host.name }} ({{ facts.os.id }}, {{ facts.cpus }} CPUs) in {{ host.env }}.</p>
{% for section in sections %}
<h2>{{ section }}</h2>
<p>Page {{ item }} of {{ pages | length }}, section {{ section }}.</p>
{% endfor %}
T
  {
    echo "vars:"
    echo "  site_name: bench"
    echo "  sections: [intro, body, outro]"
    echo -n "  pages: ["
    for i in $(seq 1 "$templated"); do printf '%s%d' "$([ "$i" -gt 1 ] && echo ', ')" "$i"; done
    echo "]"
    echo "resources:"
    echo "  - directory: \"{{ root }}\""
    echo "  - directory: \"{{ root }}/static\""
    echo "  - directory: \"{{ root }}/pages\""
    for i in $(seq -w 1 "$static"); do
      if [ $((10#$i % 2)) -eq 0 ]; then
        printf 'static file %s\nmanaged by plumb\n' "$i" > "$project/files/f$i.txt"
        printf '  - file: "{{ root }}/static/f%s.txt"\n    source: f%s.txt\n    mode: "0644"\n' "$i" "$i"
      else
        printf '  - file: "{{ root }}/static/f%s.txt"\n    content: "static file %s\\nmanaged by plumb\\n"\n    mode: "0644"\n' "$i" "$i"
      fi
    done
    echo "  - file: \"{{ root }}/pages/{{ item }}.html\""
    echo "    for_each: pages"
    echo "    template: page.j2"
    echo "    mode: \"0644\""
  } > "$project/roles/site.yaml"
}



# Runs `bin/plumb ARGS...` once as a user would (text output); prints "engine_ms wall_ms". The engine time is
# the one the summary line reports, as in "local: 2203 resources, 0 drifted, 0 failed (48 ms)".
# Waits until the generated project's files are older than plumb's 2-second settling time, then applies twice: the
# first converges, the second keeps the compiled catalogs, so that the runs measured next are the steady state of a
# project nobody is editing (a run right after an edit compiles; bench/small measures that too).
converge_settled() {
  sleep 2.1
  "$home/bin/plumb" apply "$@" >/dev/null || true
  "$home/bin/plumb" apply "$@" >/dev/null || true
}

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

# Peak resident memory in KiB (`/usr/bin/time`'s "Maximum resident set size") of one `bin/plumb ARGS...` run.
peak_kib() {
  local file
  file="$(mktemp)"
  /usr/bin/time -o "$file" -f '%M' "$home/bin/plumb" "$@" >/dev/null 2>&1 || true
  tail -1 "$file"
  rm -f "$file"
}

# GNU time, for peak memory; installed with apt when missing.
need_gnu_time() {
  [ -x /usr/bin/time ] && return 0
  echo "bench: installing GNU time (apt-get install time) for peak memory ..." >&2
  apt-get install -y -qq time >&2
}

# The java command of the JDK bin/plumb runs (the newest >= 17).
plumb_java() {
  find_java_home || { echo "bench: no JDK 17 or newer found" >&2; return 1; }
  echo "$found_home/bin/java"
}
