# Sourced by fleet's scripts: exports JAVA_HOME pointing at a JDK 21 or newer.
# fleet targets Java 21 (virtual threads); many machines still default to 17.
java_major() { "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }
fleet_find_jdk() {
  local c
  for c in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 \
           /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/java-21-openjdk-amd64 /usr/lib/jvm/* \
           "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    [ -n "$c" ] && [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    local v; v=$(java_major "$c")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then echo "$c"; return 0; fi
  done
  return 1
}
if ! JAVA_HOME=$(fleet_find_jdk); then
  echo "fleet: needs a JDK 21 or newer (none found under /usr/lib/jvm or on PATH)." >&2
  echo "       Install one (e.g. Temurin 21+) and set JAVA_HOME to it." >&2
  exit 5
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
