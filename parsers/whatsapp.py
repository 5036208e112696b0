"""WhatsApp chat exports and account reports: the handler tables (filled in by the WhatsApp issue)."""
from __future__ import annotations

from .detect import Detection
from .handlers import HandlerTable

CHAT_TABLE = HandlerTable("whatsapp", [])
ACCOUNT_TABLE = HandlerTable("whatsapp", [])


def table_for(detection: Detection) -> HandlerTable:
    return CHAT_TABLE if detection.platform == "whatsapp_chat" else ACCOUNT_TABLE
