#!/usr/bin/env bash
# Every test: types, lint (ESLint) and formatting, unit + integration (vitest), then the browser suite (Playwright in Debian's Chromium).
# Ends with one summed line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

# Debian packages the suite needs: Chromium for the browser tests, openssl for the stand-in's
# self-signed certificate (its HTTP/2 origins speak TLS)
apt_install() {
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq "$@" >/dev/null; else sudo apt-get update -qq && sudo apt-get install -y -qq "$@" >/dev/null; fi
}
if [ ! -x /usr/bin/chromium ] && [ -z "${CHROMIUM_PATH:-}" ]; then
  echo "Chromium missing: installing Debian's chromium"
  apt_install chromium
fi
if ! command -v openssl >/dev/null; then
  echo "openssl missing: installing Debian's openssl"
  apt_install openssl
fi

mkdir -p .reports
status=0
npm run --silent demo-data || status=1
npm run --silent typecheck || status=1
npm run --silent lint || { echo "lint failed"; status=1; }
npx prettier --check . >/dev/null || { echo "prettier: files not formatted (npx prettier --check .)"; status=1; }
npx vitest run --reporter=default --reporter=json --outputFile.json=.reports/vitest.json || status=1
npm run --silent build >/dev/null || { echo "build failed"; status=1; }
npx playwright test || status=1
node scripts/sum-reports.mjs .reports/vitest.json .reports/playwright.json || status=1
exit $status
