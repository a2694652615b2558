# Finds the newest JDK >= 17 on this machine. Sourced by bin/plumb and bench/lib.sh, so that the benchmarks run
# the JVM plumb runs.

# The major version of the JDK at $1, from its `release` file (no JVM start needed), or nothing.
major_version() {
  local release="$1/release"
  [ -x "$1/bin/java" ] && [ -f "$release" ] || return 0
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release"
}

# Prints "MAJOR_VERSION JAVA_HOME" of the newest JDK >= 17 among JAVA_HOME, java on PATH and /usr/lib/jvm.
find_java_home() {
  local best="" best_version=0 candidate version
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for candidate in /usr/lib/jvm/*; do candidates+=("$candidate"); done
  for candidate in "${candidates[@]}"; do
    version="$(major_version "$candidate")"
    if [ -n "$version" ] && [ "$version" -ge 17 ] && [ "$version" -gt "$best_version" ]; then
      best="$candidate"; best_version="$version"
    fi
  done
  [ -n "$best" ] && echo "$best_version $best"
}

