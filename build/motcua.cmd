@echo off
rem motcua.cmd: the motcua CLI inside the installed app (docs/deployment.md "motcua CLI").
rem The app is a GUI program: `start /wait` makes cmd wait for it and return its exit code, and Electron writes
rem to this console. `--` ends Chromium's switches, so the CLI's own --options reach it untouched.
setlocal
start "" /b /wait "%~dp0..\Motcua Kiosk.exe" --cli -- %*
exit /b %ERRORLEVEL%
