"""Where and when each stop and leg of a watch lies, one row each, so an alert change finds
the watches it can affect by an index instead of reading every watch.

Existing watches get their rows from their stored parts; their parts carry no answer without
alerts yet, so their first re-check after an alert change runs in full.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    boxes = op.create_table(
        "watch_boxes",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("watch_id", sa.String(40), sa.ForeignKey("watches.id"), nullable=False),
        sa.Column("day", sa.String(10), nullable=True),
        sa.Column("minx", sa.Float(), nullable=False),
        sa.Column("miny", sa.Float(), nullable=False),
        sa.Column("maxx", sa.Float(), nullable=False),
        sa.Column("maxy", sa.Float(), nullable=False),
    )
    op.create_index("ix_watch_boxes_watch_id", "watch_boxes", ["watch_id"])
    op.create_index("ix_watch_boxes_day", "watch_boxes", ["day"])
    rows = []
    for watch_id, parts in op.get_bind().execute(sa.text("SELECT id, parts FROM watches")):
        for part in json.loads(parts) if isinstance(parts, str) else parts:
            if "point" in part:
                xs, ys = [part["point"][0]], [part["point"][1]]
            elif "line" in part:
                xs, ys = [p[0] for p in part["line"]], [p[1] for p in part["line"]]
            elif "box" in part:
                xs, ys = [part["box"][0], part["box"][2]], [part["box"][1], part["box"][3]]
            else:
                continue
            rows.append(
                {
                    "watch_id": watch_id,
                    "day": part.get("day"),
                    "minx": min(xs),
                    "miny": min(ys),
                    "maxx": max(xs),
                    "maxy": max(ys),
                }
            )
    if rows:
        op.bulk_insert(boxes, rows)


def downgrade() -> None:
    op.drop_index("ix_watch_boxes_day", "watch_boxes")
    op.drop_index("ix_watch_boxes_watch_id", "watch_boxes")
    op.drop_table("watch_boxes")
