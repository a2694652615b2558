# Finds the newest JDK >= 17 on this machine, and the flags plumb runs it with. Sourced by bin/plumb and bench/lib.sh,
# so that the benchmarks run the JVM plumb runs, as plumb runs it. Bash builtins only, no subprocess: this runs before
# every plumb command.

# Serial GC and C1 only suit a short run that loads many classes once. A small initial heap keeps the peak
# memory near what the run really holds (the default, 1/64 of RAM, is filled with garbage before the first
# collection); the heap still grows as a large project needs, its young generation at most 16 MB (without that cap the
# collector's sizing let the 20,000-file no-op's heap grow 30 MB more or shrink its young generation to a few MB and
# collect 800 times). No hsperfdata file: nothing here is monitored.
# One method of the JDK's class-file library is left to the interpreter: the JDK spins method-handle classes with that
# library when Jackson's method handles get hot (about a hundred in a 2,000-file apply), and C1 compiling
# StackMapGenerator.processBlock took 6.7 MB of compiler memory; interpreted, the 2,000-file no-op's peak is 1.9 MiB
# lower and no run is slower (leaving the whole library interpreted saves 3 MiB more but costs the small no-op 14 ms).
# "quiet": CompileCommand would print itself on standard output. Reflection uses the JVM's native accessors: by default
# (JDK 18 and later) its first call of each constructor or method generates classes, 1 to 10 ms each in a fresh JVM and
# never kept in the start-up archive, and Jackson builds every record of a catalog by a constructor (see
# ReflectiveCreators): 32 ms of the small no-op. JDK 17 ignores the property.
plumb_jvm_flags=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xms8m -XX:MaxNewSize=16m -XX:-UsePerfData
  -XX:CompileCommand=quiet '-XX:CompileCommand=exclude,jdk.internal.classfile.impl.StackMapGenerator::processBlock'
  -Djdk.reflect.useNativeAccessorOnly=true)

# Sets java_major to the major version of the JDK at $1, from its `release` file (no JVM start needed), or to 0.
read_major_version() {
  local line
  java_major=0
  [ -x "$1/bin/java" ] && [ -f "$1/release" ] || return 0
  while IFS= read -r line; do
    if [[ $line =~ ^JAVA_VERSION=\"([0-9]+) ]]; then
      java_major="${BASH_REMATCH[1]}"
      return 0
    fi
  done < "$1/release"
}

# Sets found_version and found_home to the newest JDK >= 17 among JAVA_HOME, java on PATH and /usr/lib/jvm;
# fails when there is none.
find_java_home() {
  local candidate java
  local candidates=()
  found_version=0 found_home=""
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if java="$(type -P java)"; then
    java="$(readlink -f "$java")"
    candidates+=("${java%/bin/java}")
  fi
  for candidate in /usr/lib/jvm/*; do candidates+=("$candidate"); done
  for candidate in "${candidates[@]}"; do
    read_major_version "$candidate"
    if [ "$java_major" -ge 17 ] && [ "$java_major" -gt "$found_version" ]; then
      found_home="$candidate" found_version="$java_major"
    fi
  done
  [ -n "$found_home" ]
}
