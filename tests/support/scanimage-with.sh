#!/bin/sh
# The real scanimage with test-backend options that make a fault reproducible: for device test:0 every read
# answers "out of documents" (an empty feeder); for test:1 each buffer is delayed (a slow feeder, so a test
# can pull the plug mid-batch). Real scanners' faults cannot be provoked on demand; these are the backend's own.
for arg in "$@"; do
  case "$arg" in
    -A|-f|-L) exec scanimage "$@" ;;
  esac
done
case " $* " in
  *" test:0 "*) exec scanimage "$@" --read-return-value SANE_STATUS_NO_DOCS ;;
  *" test:1 "*) exec scanimage "$@" --read-delay=yes --read-delay-duration=20000 --read-limit=yes --read-limit-size=65536 ;;
  *) exec scanimage "$@" ;;
esac
