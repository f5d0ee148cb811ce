#!/usr/bin/env bash
# Nightly backup: a PostgreSQL dump (custom format) and an archive of the uploads, with retention.
#   DATABASE_URL=postgres://... KONFLIK_MEDIA_ROOT=/data/uploads ops/backup.sh /backups [KEEP_DAYS]
set -euo pipefail
dest=${1:?usage: backup.sh DEST_DIR [KEEP_DAYS]}
keep_days=${2:-14}
: "${DATABASE_URL:?DATABASE_URL must point at the konflik database}"
media=${KONFLIK_MEDIA_ROOT:-var/uploads}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$dest"
pg_dump --format=custom --no-owner --no-privileges --file="$dest/konflik-$stamp.dump.partial" "$DATABASE_URL"
mv "$dest/konflik-$stamp.dump.partial" "$dest/konflik-$stamp.dump"
if [ -d "$media" ]; then
  tar -czf "$dest/uploads-$stamp.tar.gz.partial" -C "$media" .
  mv "$dest/uploads-$stamp.tar.gz.partial" "$dest/uploads-$stamp.tar.gz"
fi
find "$dest" -maxdepth 1 \( -name 'konflik-*.dump' -o -name 'uploads-*.tar.gz' \) -mtime +"$keep_days" -delete
echo "$dest/konflik-$stamp.dump"
