#!/usr/bin/env bash
# The headless browser of the OAuth page's test (tests/api/mastodon/test_authorize_browser.py):
# Debian's chromium and its matching chromedriver, from the distribution (a browser download at
# test time is not reachable in CI). Idempotent: nothing to do once chromedriver is there.
set -euo pipefail

if [[ -x /usr/bin/chromedriver && -x /usr/bin/chromium ]]; then
    echo "chromium and chromedriver already installed"
    exit 0
fi
SUDO=""
if ((EUID != 0)); then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium chromium-driver
/usr/bin/chromium --version
