#!/bin/sh
# The real tesseract, 20 s slower per page (not for --list-langs / --version): a counter whose OCR is still busy
# when the clerk presses "sign", on cue, for tests/e2e/ocr-wait.spec.ts (imaging.tesseractPath names this file).
case "$1" in -*) exec tesseract "$@" ;; esac
sleep 20
exec tesseract "$@"
