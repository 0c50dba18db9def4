"""DfE's exact error texts, in one catalogue. Keep every string byte for byte as DfE sends it."""

from __future__ import annotations

ACCESS_DENIED = "HTTP Token: Access denied"
RESOURCE_NOT_FOUND = "Resource not found"
BAD_REQUEST_TITLE = "Bad request"
INVALID_DATA_STRUCTURE = "correct json data structure required. See API docs for reference"
INVALID_FILTER = "'#/filter' is not a valid field"
INVALID_PAGINATION = (
    "The '#/page[page]' and '#/page[per_page]' parameter values must be a valid positive number"
)
UNPERMITTED_PARAMETERS_TITLE = "Unpermitted parameters"
PARTICIPANT_ID_CHANGED_TITLE = "Participant ID has been changed"
CANNOT_MODIFY_DECLARATION_TITLE = "Cannot modify declaration"


def invalid_date_filter(name: str) -> str:
    return f"The filter '#/{name}' must be a valid ISO 8601 date"


def invalid_uuid_list_filter(name: str) -> str:
    return f"The filter '#/{name}' must be a comma-delimited list of valid UUIDs"


def filter_not_in(name: str, allowed: tuple[str, ...]) -> str:
    listed = ", ".join(f'"{value}"' for value in allowed)
    return f"The filter '#/{name}' must be [{listed}]"


def participant_id_replaced(from_id: str, to_id: str) -> str:
    return f"The participant_id '{from_id}' has been replaced with '{to_id}'."
