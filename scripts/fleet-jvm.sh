# Sourced by every fleet launcher (./fleet, the tarball's bin/fleet, the .deb's /usr/bin/fleet): the JVM options
# fleet runs with, kept in one place so that a run is as fast however fleet was installed.
#
#   fleet_jvm_options JAR CDS_DIR [ARGS...]   sets the array FLEET_JVM_OPTS (for $JAVA_HOME/bin/java)
#
# JAR is the fleet jar, CDS_DIR a writable directory for a class-data archive made on this machine (empty: none),
# ARGS fleet's arguments (the first is the command). FLEET_JAVA_OPTS replaces the tuned options, FLEET_NO_CDS=1 turns the archive off.

# The major version of the Java runtime in $1, from its release file (asking `java -version` would add a JVM
# start to every run); empty when the file does not say.
fleet_java_major() {
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null || true
}

fleet_jvm_options() {
  local jar=$1 cds_dir=$2 command=${3:-}
  shift 2
  # Serial GC: a run's heap is small and short-lived, and it leaves the second core to SSH. C1 only
  # (TieredStopAtLevel=1) for everything but `serve` and `worker`: a CLI run ends before C2's compiles of sshj's
  # crypto and fleet's engine pay off; measured on 1000 hosts, 2 cores: client CPU 15.5 s -> 8.2 s, wall
  # 35 s -> 28 s. The long-running `serve` and `worker` keep the full JIT.
  if [ -n "${FLEET_JAVA_OPTS+x}" ]; then
    read -r -a FLEET_JVM_OPTS <<< "$FLEET_JAVA_OPTS"
  elif [ "$command" = serve ] || [ "$command" = worker ]; then
    FLEET_JVM_OPTS=(-XX:+UseSerialGC)
  else
    FLEET_JVM_OPTS=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1)
  fi
  # Clustered runs and workers load Hazelcast, which Java 24+ warns about on every start for its sun.misc.Unsafe
  # use.
  local major
  major=$(fleet_java_major "$JAVA_HOME")
  if [ -z "${FLEET_JAVA_OPTS+x}" ] && [ "${major:-0}" -ge 24 ] \
      && { [ "$command" = worker ] || [[ " $* " == *" --cluster"* ]]; }; then
    FLEET_JVM_OPTS+=(--sun-misc-unsafe-memory-access=allow)
  fi
  [ -z "${FLEET_NO_CDS:-}" ] || return 0
  # Class-data sharing: the ~5000 classes a run loads (Vert.x, sshj, jinjava, ...) are mapped from an archive
  # instead of being read from the jar and verified: 5-host sweep 2.4 s -> 1.65 s.
  # 1. The .deb, which has its own Java runtime, has fleet.jsa beside the jar, made on install by a training run
  #    of that runtime (packaging/make-cds-archive): read-only, shared by every user, nothing written at run time.
  local shipped="${jar%/*}/fleet.jsa"
  if [ -f "$shipped" ]; then
    FLEET_JVM_OPTS+=("-XX:SharedArchiveFile=$shipped" '-Xlog:cds*=off')
    return 0
  fi
  # 2. Otherwise the first `fleet run` writes one into CDS_DIR (its exit takes ~1 s longer) and later starts map
  #    it. Its name carries the jar's time and size, the jar's path and the JDK, so a new jar, another JDK or a
  #    moved jar makes a new one. (An archive made for the same jar at another path passes the JVM's check, but
  #    its classes then have no code source: fleet --version failed with a NullPointerException, JDK 25.)
  [ -n "$cds_dir" ] || return 0
  [ -d "$cds_dir" ] || mkdir -p "$cds_dir" 2>/dev/null || return 0
  [ -w "$cds_dir" ] || return 0
  local jsa
  jsa="$cds_dir/fleet-$(stat -c '%Y-%s' "$jar")-$(printf '%s\n' "$JAVA_HOME" "$jar" | cksum | cut -d' ' -f1).jsa"
  if [ -f "$jsa" ]; then
    FLEET_JVM_OPTS+=("-XX:SharedArchiveFile=$jsa" '-Xlog:cds*=off')
  elif [ "$command" = run ]; then
    rm -f "$cds_dir"/fleet-*.jsa
    FLEET_JVM_OPTS+=(-XX:+AutoCreateSharedArchive "-XX:SharedArchiveFile=$jsa" '-Xlog:cds*=off')
  fi
}
