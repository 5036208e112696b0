"""WhatsApp "Request account info" reports, all three generations, through the handler table."""
from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timezone

from builder import ExportTree
from builder.whatsapp import (CURRENT_PAIRS, account_report_2018, account_report_2022, account_report_current,
                              report_people, scan_as)
from parsers.whatsapp import ACCOUNT_TABLE, CHAT_TABLE, table_for
from parsers.detect import Detection


def _scan(tmp_path, monkeypatch, tree: ExportTree):
    return scan_as([tree.write_zip(tmp_path / "My Account Info.zip")], "whatsapp_account", monkeypatch)


def _counts(audit) -> dict[tuple[str, str], int]:
    return dict(Counter(zip(audit.items["category"].astype(str), audit.items["kind"].astype(str))))


def test_table_for_picks_by_detection():
    assert table_for(Detection("whatsapp_chat", "txt", "")) is CHAT_TABLE
    assert table_for(Detection("whatsapp_account", "json", "2024")) is ACCOUNT_TABLE


def test_report_2018(tmp_path, monkeypatch):
    audit = _scan(tmp_path, monkeypatch, account_report_2018(seed=1, contacts=6, groups=3))
    # account_information has 8 fields; contacts are bare phone numbers; groups have a subject.
    assert _counts(audit) == {("profile", "profile_field"): 8, ("connections", "contact"): 6,
                              ("groups_pages_events", "group"): 3, ("settings", "setting"): 2}
    contacts = audit.items[audit.items["category"] == "connections"]
    assert all(c.startswith("+49 151 ") for c in contacts["counterpart"])
    assert set(audit.items["actor"]) == {"self"}
    files = audit.files.set_index("path")
    assert files.loc["access.html", "status"] == "ignored" and "portability.json" in files.loc["access.html", "reason"]
    assert files.loc["portability.json", "status"] == "parsed" and files.loc["portability.json", "items"] == 19
    assert audit.accounts["whatsapp"].extra["whatsapp_profile_name"] == "Ana Andersen"


def test_report_2022(tmp_path, monkeypatch):
    tree = account_report_2022(seed=2, contacts=4, groups=2)
    audit = _scan(tmp_path, monkeypatch, tree)
    people, groups = report_people(2, 4, 2)
    assert _counts(audit) == {("connections", "contact"): 4, ("groups_pages_events", "group"): 2}
    items = audit.items
    assert list(items.loc[items["kind"] == "contact", "counterpart"]) == people  # names, for pseudonymising
    assert list(items.loc[items["kind"] == "group", "counterpart"]) == groups
    created = json.loads(tree.files["whatsapp_connections/groups.json"])["wa_groups"][0]["creation_timestamp"]
    assert items.loc[items["kind"] == "group", "timestamp"].iloc[0].timestamp() == created
    assert items.loc[items["kind"] == "contact", "text"].eq("").all()  # phone numbers stay out of the text


def test_report_current(tmp_path, monkeypatch):
    audit = _scan(tmp_path, monkeypatch, account_report_current(seed=3, contacts=5, groups=2, devices=3,
                                                                platform="iphone"))
    # user_information: 4 fields; registration: 1 item; avatars: 1 field; account_settings: 3 privacy
    # fields + 2 more; terms_of_service: 2 fields; devices 3; contacts 5; groups 2.
    assert _counts(audit) == {("profile", "profile_field"): 4, ("profile", "registration"): 1,
                              ("profile", "avatar"): 1, ("settings", "setting"): 5,
                              ("settings", "terms_of_service"): 2, ("security_login", "device"): 3,
                              ("connections", "contact"): 5, ("groups_pages_events", "group"): 2}
    account = audit.accounts["whatsapp"]
    assert account.extra["whatsapp_platform"] == "iphone"
    assert account.account_created == datetime(2016, 2, 29, 8, 15, tzinfo=timezone.utc).timestamp()
    devices = audit.items[audit.items["kind"] == "device"]
    assert devices["timestamp"].notna().all() and devices["text"].str.contains("Model").all()
    files = audit.files.set_index("path")
    for name in CURRENT_PAIRS:
        assert files.loc[f"{name}.json", "status"] == "parsed"
        assert files.loc[f"{name}.html", "status"] == "ignored"
        assert "twin" in files.loc[f"{name}.html", "reason"]
    assert files.loc["index.html", "status"] == "ignored"
    assert audit.problems.empty


def test_unknown_sections_and_broken_json_are_values(tmp_path, monkeypatch):
    tree = account_report_current(seed=4)
    tree.add("contacts.json", json.dumps({"wa_contacts": ["+1 555 0100"], "wa_broadcast_lists": [{"x": 1}]}))
    tree.add("groups.json", b'{"wa_groups": [{"subject": "A"}, ')
    audit = _scan(tmp_path, monkeypatch, tree)
    problems = audit.problems
    assert any("wa_broadcast_lists" in m for m in problems["message"])
    files = audit.files.set_index("path")
    assert files.loc["contacts.json", "status"] == "parsed" and files.loc["contacts.json", "items"] == 1
    assert files.loc["groups.json", "status"] == "failed"


def test_report_through_the_real_detection(tmp_path):
    from parsers.scan import scan
    audit = scan([account_report_current(seed=5).write_zip(tmp_path / "account_info.zip")])
    assert audit.sources[0].platform == "whatsapp_account"
    assert (audit.items["category"] == "connections").sum() == 5
