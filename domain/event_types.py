"""Every event type caseflow records, by (type, schema version): the schemas every store
validates against."""

from domain.client import EVENT_TYPES as CLIENT_EVENT_TYPES
from domain.complaint import EVENT_TYPES as COMPLAINT_EVENT_TYPES

EVENT_TYPES = {**COMPLAINT_EVENT_TYPES, **CLIENT_EVENT_TYPES}
