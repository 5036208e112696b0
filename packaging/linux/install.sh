#!/bin/sh
# Install Export Auditor for this user, no root needed:
#   the app folder   -> ~/.local/share/export-auditor/
#   the menu entry   -> ~/.local/share/applications/export-auditor.desktop
#   the icon         -> ~/.local/share/icons/hicolor/{scalable,256x256}/apps/
#   a command        -> ~/.local/bin/export-auditor
# ./install.sh --uninstall removes all of it again (your settings stay in ~/.config/ExportAuditor).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
bin=$HOME/.local/bin
app=$data/export-auditor
entry=$data/applications/export-auditor.desktop
svg=$data/icons/hicolor/scalable/apps/export-auditor.svg
png=$data/icons/hicolor/256x256/apps/export-auditor.png

if [ "${1:-}" = "--uninstall" ]; then
  rm -rf "$app" "$entry" "$svg" "$png"
  if [ -L "$bin/export-auditor" ]; then rm -f "$bin/export-auditor"; fi
  echo "Export Auditor removed."
  exit 0
fi

rm -rf "$app.new"
cp -R "$here/export-auditor" "$app.new"
rm -rf "$app"
mv "$app.new" "$app"
mkdir -p "$bin" "$(dirname "$entry")" "$(dirname "$svg")" "$(dirname "$png")"
ln -sf "$app/export-auditor" "$bin/export-auditor"
cp "$here/export-auditor.svg" "$svg"
cp "$here/export-auditor.png" "$png"
sed "s|^Exec=.*|Exec=\"$app/export-auditor\" %F|" "$here/export-auditor.desktop" > "$entry"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$(dirname "$entry")" >/dev/null 2>&1 || true
echo "Export Auditor installed: find it in your applications menu, or run $bin/export-auditor"
# Say now, not at the first click, if this desktop lacks a library the window needs.
"$app/export-auditor" --check >/dev/null || true
