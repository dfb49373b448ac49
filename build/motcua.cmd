@echo off
rem motcua.cmd: the motcua CLI inside the installed app (docs/deployment.md "motcua CLI").
rem The app is a GUI-subsystem program: it has no console of its own. Its output is redirected to a file, which
rem a child inherits whatever console it has, then printed here; inside a batch file cmd waits for the program
rem and ERRORLEVEL is its exit code. `--` ends Chromium's switches, so the CLI's own --options reach it untouched.
setlocal
chcp 65001 >nul
set "MOTCUA_CLI_OUT=%TEMP%\motcua-cli-%RANDOM%%RANDOM%.txt"
"%~dp0..\Motcua Kiosk.exe" --cli -- %* > "%MOTCUA_CLI_OUT%" 2>&1
set "MOTCUA_EXIT=%ERRORLEVEL%"
type "%MOTCUA_CLI_OUT%"
del "%MOTCUA_CLI_OUT%" >nul 2>&1
exit /b %MOTCUA_EXIT%
