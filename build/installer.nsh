; Included by electron-builder's NSIS script (electron-builder.yml: nsis.include). Silent installs with a preset
; configuration (docs/deployment.md "Cài đặt"):
;
;   Motcua-Setup-<version>.exe /S /CONFIG=\\server\motcua\xa-a.json
;   Motcua-Setup-<version>.exe /S /CENTRAL=https://motcua.tinh.gov.vn /UNIT=000.00.01.H22 /UNITNAME="UBND xã A"
;                                 /COUNTER=2 /CODE=ABCD-EFGH-JKLM [/TOKEN=<token label> | /P12=<file>] [/ESCL=<url>]
;
; This script only copies what it was given into the app's data folder — the same folder
; electron/services/data-location.ts computes: %MOTCUA_DATA_DIR% when set, else %LOCALAPPDATA%\Motcua (a per-user
; install, so $LOCALAPPDATA is the installing user's). Everything that decides (which switch is which field,
; validation, the enrollment code's lifetime, an existing config.json winning) happens in the app on its first
; start: electron/services/installer-preset.ts, tested in Node. The switches file is UTF-16LE with a BOM:
; FileWrite would write the ANSI code page and lose Vietnamese letters.
;
; Uninstall never touches the data folder: it may hold dossiers not yet sent (customUnInstall below is empty on
; purpose, and nsis.deleteAppDataOnUninstall is false).

!include "FileFunc.nsh"
!include "LogicLib.nsh"

; The uninstaller is built from the same script: a variable it never uses would be a warning, and
; electron-builder runs makensis with -WX (warnings are errors).
!ifndef BUILD_UNINSTALLER
  Var motcuaPresetFile
!endif

; Checked before anything is installed: a /CONFIG file that is not there stops the install with exit code 2,
; instead of leaving 300 PCs installed without a configuration.
!macro customInit
  StrCpy $motcuaPresetFile ""
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/CONFIG=" $R1
  ${IfNot} ${Errors}
    ; Relative to the folder the installer was started from, not to the install folder.
    GetFullPathName $R1 "$R1"
    ${If} ${FileExists} "$R1"
      StrCpy $motcuaPresetFile "$R1"
    ${Else}
      SetErrorLevel 2
      MessageBox MB_ICONSTOP "Không tìm thấy tệp cấu hình /CONFIG=$R1 (configuration file not found)" /SD IDOK
      Quit
    ${EndIf}
  ${EndIf}
!macroend

!macro motcuaWriteSwitch NAME
  ClearErrors
  ${GetOptions} $R0 "/${NAME}=" $R1
  ${IfNot} ${Errors}
    FileWriteUTF16LE $R3 "${NAME}=$R1$\r$\n"
    StrCpy $R4 "1"
  ${EndIf}
!macroend

!macro customInstall
  ${GetParameters} $R0
  ReadEnvStr $R2 MOTCUA_DATA_DIR
  ${If} $R2 == ""
    StrCpy $R2 "$LOCALAPPDATA\Motcua"
  ${EndIf}
  CreateDirectory "$R2"
  ${If} $motcuaPresetFile != ""
    CopyFiles /SILENT "$motcuaPresetFile" "$R2\installer-preset.json"
  ${EndIf}
  StrCpy $R4 "0"
  FileOpen $R3 "$R2\installer-switches.tmp" w
  FileWriteWord $R3 0xFEFF
  !insertmacro motcuaWriteSwitch CENTRAL
  !insertmacro motcuaWriteSwitch UNIT
  !insertmacro motcuaWriteSwitch UNITNAME
  !insertmacro motcuaWriteSwitch ORG
  !insertmacro motcuaWriteSwitch COUNTER
  !insertmacro motcuaWriteSwitch CODE
  !insertmacro motcuaWriteSwitch DEVICENAME
  !insertmacro motcuaWriteSwitch TOKEN
  !insertmacro motcuaWriteSwitch TOKENLIB
  !insertmacro motcuaWriteSwitch P12
  !insertmacro motcuaWriteSwitch ESCL
  !insertmacro motcuaWriteSwitch HOTFOLDER
  FileClose $R3
  ${If} $R4 == "1"
    Delete "$R2\installer-switches.txt"
    Rename "$R2\installer-switches.tmp" "$R2\installer-switches.txt"
  ${Else}
    Delete "$R2\installer-switches.tmp"
  ${EndIf}
!macroend

!macro customUnInstall
  ; Nothing: the data folder (%LOCALAPPDATA%\Motcua) stays. IT removes it deliberately once the queue is empty
  ; (docs/deployment.md "Gỡ cài đặt").
!macroend
