#!/bin/sh
# Builds files/plumb-demo_1.0_all.deb, the package this example installs: a small daemon that writes a
# heartbeat line with the message from its configuration file, with a sysv init script and a systemd unit, and a
# postrm that removes the init script's boot links when the package is purged, as Debian packages do.
# The built file is committed; run this again after changing anything under package/.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
chmod 0755 "$tree"
install -D -m 0755 "$here/plumb-demo-daemon" "$tree/usr/sbin/plumb-demo-daemon"
install -D -m 0755 "$here/plumb-demo.init" "$tree/etc/init.d/plumb-demo"
install -D -m 0644 "$here/plumb-demo.service" "$tree/lib/systemd/system/plumb-demo.service"
install -D -m 0644 "$here/control" "$tree/DEBIAN/control"
install -D -m 0755 "$here/postrm" "$tree/DEBIAN/postrm"
echo /etc/init.d/plumb-demo > "$tree/DEBIAN/conffiles"
SOURCE_DATE_EPOCH=1700000000 dpkg-deb --root-owner-group -Zgzip --build "$tree" "$here/../files/plumb-demo_1.0_all.deb"
