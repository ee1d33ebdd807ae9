"""GUIDs for records the store keeps none for (users, variables, cases, selections, notes).

Codings, memos, codes and transcripts carry their own GUID in the store. Everything else is
derived with uuid5 from a fixed lfa-qual namespace and a name that identifies the record, so
that exporting twice gives the same GUIDs, and a coder keeps one GUID across projects (a
co-author's archive coded by "anna" names the same user as ours).
"""

from __future__ import annotations

import hashlib
import re
import uuid

# uuid5(NAMESPACE_URL, "https://lfa-qual/refi-qda"): fixed forever; changing it changes GUIDs.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://lfa-qual/refi-qda")
GUID_RE = re.compile(
    r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$"
)


_PREFIX = NAMESPACE.bytes


def derived(kind: str, key: str) -> str:
    """A stable upper-case GUID for the record of `kind` named `key`: uuid5(NAMESPACE, key),
    computed without `uuid.UUID` objects (an export derives one per coding)."""
    b = bytearray(hashlib.sha1(_PREFIX + f"{kind}:{key}".encode()).digest()[:16])
    b[6] = (b[6] & 0x0F) | 0x50  # version 5
    b[8] = (b[8] & 0x3F) | 0x80  # RFC 4122 variant
    x = b.hex().upper()
    return f"{x[:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:]}"


def user_guid(name: str) -> str:
    return derived("user", name)


def variable_guid(name: str) -> str:
    return derived("variable", name)


def case_guid(school: str) -> str:
    return derived("case:school", school)


def selection_guid(coding_guid: str) -> str:
    return derived("selection", coding_guid)


def coding_note_guid(coding_guid: str) -> str:
    return derived("note:coding", coding_guid)


def canonical(value: str | None) -> str | None:
    """A GUID as the store keeps it (upper case, no braces), or None if `value` is not one."""
    if value is None:
        return None
    m = GUID_RE.match(value.strip())
    return m[1].upper() if m else None
