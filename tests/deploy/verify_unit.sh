#!/usr/bin/env bash
# Usage: tests/deploy/verify_unit.sh UNIT KIOSK_BINARY MAN_PAGE MAX_EXPOSURE   systemd-analyze verify of the
# panel's unit (any word about it fails), then its `security --offline` exposure, which must not exceed MAX_EXPOSURE.
set -uo pipefail
unit=${1:?unit file} binary=${2:?kiosk binary} man_page=${3:?man page} max=${4:?max exposure}
command -v systemd-analyze >/dev/null || { echo "FAIL: systemd-analyze is missing (apt-get install systemd; scripts/setup does)"; exit 1; }
[ -x "$binary" ] || { echo "FAIL: $binary is not built"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# An instance of the template, as `systemctl enable kiosk@test` would load it. verify checks that
# ExecStart's program exists: the packaged /usr/bin/kiosk is not installed here, so the copy runs the
# binary just built. That is the only line changed, and it must be there to be changed.
grep -qx 'ExecStart=/usr/bin/kiosk run --config /etc/kiosk/panels/%i.toml' "$unit" \
  || { echo "FAIL: $unit does not start /usr/bin/kiosk run --config /etc/kiosk/panels/%i.toml"; exit 1; }
sed "s|^ExecStart=/usr/bin/kiosk |ExecStart=$binary |" "$unit" >"$tmp/kiosk@test.service"
# Documentation=man:kiosk(1): verify looks the page up with man(1); the package installs it, here it is
# found through MANPATH.
mkdir -p "$tmp/man/man1" && cp "$man_page" "$tmp/man/man1/kiosk.1"

out=$(cd "$tmp" && MANPATH="$tmp/man" SYSTEMD_LOG_LEVEL=notice systemd-analyze verify "$tmp/kiosk@test.service" 2>&1)
rc=$?
# Other units verify loads (sysinit.target and the like) are the host's business; ours must be silent.
ours=$(grep -E 'kiosk@test\.service|kiosk@\.service|kiosk\.1|kiosk\(1\)' <<<"$out")
if [ "$rc" -ne 0 ] || [ -n "$ours" ]; then
  echo "FAIL: systemd-analyze verify (rc $rc):"
  echo "$out" | sed 's/^/  /'
  exit 1
fi
[ -n "$out" ] && echo "note: systemd-analyze verify said, about other units:" && echo "$out" | sed 's/^/  /'
echo "PASS: systemd-analyze verify has nothing to say about the unit"

security=$(systemd-analyze security --offline=true "$tmp/kiosk@test.service" 2>&1)
line=$(grep 'Overall exposure level' <<<"$security")
score=$(sed -n 's/.*: \([0-9][0-9.]*\) .*/\1/p' <<<"$line")
[ -n "$score" ] || { echo "FAIL: no exposure level in systemd-analyze security's output:"; echo "$security"; exit 1; }
echo "systemd-analyze security --offline=true: $line"
if awk -v s="$score" -v m="$max" 'BEGIN { exit !(s > m) }'; then
  echo "FAIL: exposure $score is above $max: a hardening line was lost. What is exposed:"
  grep '✗' <<<"$security"
  exit 1
fi
echo "PASS: exposure $score <= $max"
