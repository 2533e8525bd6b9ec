#!/usr/bin/env bash
# Before the first release the schema is one migration, 0001, regenerated from the models
# against a scratch PostgreSQL database. After a release, add revisions instead.
set -euo pipefail
cd "$(dirname "$0")/.."
PG="${AWARDBOT_REGEN_PG:-postgresql://postgres@127.0.0.1:5432}"
scratch=awardbot_regen
psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS $scratch WITH (FORCE)" -c "CREATE DATABASE $scratch"
f=awardbot/db/migrations/versions/0001_initial_schema.py
rm -f "$f"
.venv/bin/python - "$PG/$scratch" <<'PY'
import sys
from alembic import command
from awardbot.db.migrate import alembic_config
command.revision(alembic_config(sys.argv[1]), message="initial schema", autogenerate=True,
                 rev_id="0001")
PY
# Migrations must not import the models: use the plain column type.
sed -i 's/awardbot\.db\.models\.base\.UTCDateTime(timezone=True)/sa.DateTime(timezone=True)/g' "$f"
.venv/bin/python scripts/fix_circular_fks.py "$f"
psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS $scratch WITH (FORCE)"
echo "regenerated $f"
