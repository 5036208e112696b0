"""Files the tables do not know by name, inside sections they know, are read generically.

Status parsed with the reason "read generically", the section's category, one item per record
(label_values, string_map_data, string_list_data, a plain list of dated objects), dated where the
record is; a file outside every known section stays unknown. The real-path tests
(test_facebook_paths.py, test_instagram_fixtures.py) check that no real file becomes unknown.
"""
from __future__ import annotations

import pytest
from builder.facebook import build_facebook
from builder.generic import OUTSIDE, UNLISTED, add_unlisted
from builder.instagram import build_instagram

from parsers.meta_common import GENERIC_REASON
from parsers.scan import scan

BUILDERS = {"facebook": lambda: build_facebook("2024", seed=3, messages=10, threads=2),
            "instagram": lambda: build_instagram("2025", seed=3)}


@pytest.mark.parametrize("platform", sorted(BUILDERS))
def test_unlisted_files_in_known_sections_are_read_generically(tmp_path, platform):
    tree = BUILDERS[platform]()
    add_unlisted(tree, platform)
    audit = scan([tree.write_zip(tmp_path / f"{platform}.zip")])
    assert audit.sources[0].platform == platform
    files = audit.files.set_index("path")
    items = audit.items
    for path, (_content, category, records, dated) in UNLISTED[platform].items():
        row = files.loc[path]
        assert (row["status"], row["reason"], row["category"]) == ("parsed", GENERIC_REASON, category), path
        mine = items[items["source_file"] == path]
        assert len(mine) == records == row["items"], path
        assert set(mine["category"].astype(str)) == {category}
        assert int(mine["timestamp"].notna().sum()) == dated, path
        # each record's first value: as its text, or as the other party where the folder's reader names one
        assert ((mine["text"].str.len() > 0) | (mine["counterpart"].str.len() > 0)).all(), path
    outside = files.loc[OUTSIDE[platform]]
    assert outside["status"] == "unknown"
    assert audit.files.loc[audit.files["status"] == "unknown", "path"].tolist() == [OUTSIDE[platform]]
