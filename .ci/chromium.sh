#!/usr/bin/env bash
# Installs Debian's Chromium for the dashboard's browser tests when it is missing (Playwright cannot download its
# own browser here). Idempotent; RIPCORD_CHROMIUM may point the tests at another executable instead.
set -euo pipefail

executable=${RIPCORD_CHROMIUM:-/usr/bin/chromium}
if [ -x "$executable" ]; then
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  sudo=sudo
else
  sudo=
fi

$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium
"$executable" --version
