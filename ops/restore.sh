#!/usr/bin/env bash
# Restore a backup into an EMPTY database and an empty uploads folder.
#   ops/restore.sh konflik-STAMP.dump uploads-STAMP.tar.gz postgres://.../konflik_restored /data/uploads
set -euo pipefail
dump=${1:?usage: restore.sh DUMP UPLOADS_TAR TARGET_DATABASE_URL TARGET_MEDIA_DIR}
uploads=${2:?}
target=${3:?}
media=${4:?}
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$target" "$dump"
mkdir -p "$media"
if [ -f "$uploads" ]; then tar -xzf "$uploads" -C "$media"; fi
echo "restored $dump into $target and $uploads into $media"
