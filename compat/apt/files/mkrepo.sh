#!/bin/sh
# Builds tiny Debian packages in BUILD and a flat repository of them (Packages, .gz, .xz) in REPO, for the apt
# and package playbooks: fleet-a 1.0 and 2.0 (a conffile, /etc/fleet-a.conf), fleet-lib 1.0, and fleet-b 1.0
# which depends on fleet-lib. REPO must be readable by apt's sandbox user (_apt): not under a private /tmp
# directory. Usage: mkrepo.sh BUILD REPO
set -e
build=$1/build
repo=$2
rm -rf "$repo" "$build"
mkdir -p "$repo" "$build"
package() { # name version depends with-conffile
    root=$build/$1_$2
    mkdir -p "$root/DEBIAN" "$root/usr/share/$1"
    echo "$1 $2" > "$root/usr/share/$1/version"
    {
        echo "Package: $1"
        echo "Version: $2"
        echo "Architecture: all"
        echo "Maintainer: fleet <fleet@example.invalid>"
        [ -z "$3" ] || echo "Depends: $3"
        echo "Description: fleet test package $1"
    } > "$root/DEBIAN/control"
    if [ "$4" = conffile ]; then
        mkdir -p "$root/etc"
        echo "setting=$2" > "$root/etc/$1.conf"
        echo "/etc/$1.conf" > "$root/DEBIAN/conffiles"
    fi
    dpkg-deb --root-owner-group -Zgzip --build "$root" "$repo/$1_$2_all.deb" > /dev/null
}
package fleet-a 1.0 "" conffile
package fleet-a 2.0 "" conffile
package fleet-lib 1.0
package fleet-b 1.0 fleet-lib
cd "$repo"
dpkg-scanpackages -m . > Packages 2> /dev/null
gzip -9c Packages > Packages.gz
xz -c Packages > Packages.xz
