"""DfE's exact error texts, in one catalogue. Keep every string byte for byte as DfE sends it.

Rules: docs/rules.md §19 (generated from this module).
"""

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


# --- Bodies of write requests --------------------------------------------------------------
# Sandbox wording where DfE answers without a JSON body (malformed JSON, see api/body.py).
SANDBOX_MALFORMED_JSON = "The request body is not valid JSON"
SANDBOX_BAD_SERVER_DATE = (
    "The 'X-With-Server-Date' header must be a date-time such as 2026-01-10T10:42:00Z"
)
SANDBOX_SERVER_DATE_RANGE = (
    "The 'X-With-Server-Date' header must be between 2000-01-01 and 2099-12-31"
)
SANDBOX_BAD_CONTENT_LENGTH = "The Content-Length header must be a number of bytes"
SANDBOX_UNREADABLE_BODY = "The request body could not be read: its chunked framing is broken"
SANDBOX_PAYLOAD_TOO_LARGE_TITLE = "Payload too large"
SANDBOX_PAYLOAD_TOO_LARGE = "The request body is too large"
# An unexpected failure of the sandbox itself (a bug: its log has the traceback).
SANDBOX_INTERNAL_ERROR_TITLE = "Internal server error"
SANDBOX_INTERNAL_ERROR = "The sandbox failed to answer; see its log"
SANDBOX_ADMINISTRATOR_ONLY_TITLE = "Administrator only"
SANDBOX_ADMINISTRATOR_ONLY = (
    "Only the sandbox's administrator token (npq-sandbox tokens) may act on every lead provider"
)
SANDBOX_HOST_REFUSED = (
    "The sandbox does not answer requests for this Host; serve it with --allowed-host to add one"
)
# DfE's services raise these as ArgumentError, which the API answers as a 400.
COMPLETED_DECLARATION_FAILED = (
    "Could not create completed declaration. Contact the DfE for support."
)
WITHDRAWN_WITHOUT_DATE = "comparison of ActiveSupport::TimeWithZone with nil failed"
INVALID_DATE = "invalid date"

# --- Applications: accept, reject, change funded place -------------------------------------
SET_FUNDED_PLACE = "Set '#/funded_place' to true or false."
FUNDED_PLACE_FALSE_FOR_UNFUNDED = "The '#/funded_place' field should be false for unfunded cohorts."
ALREADY_ACCEPTED = "This NPQ application has already been accepted"
CANNOT_CHANGE_REJECTED = "Once rejected an application cannot change state"
ALREADY_HAD_ACCEPTED = "The participant has already had an application accepted for this course."
NOT_ELIGIBLE_FOR_FUNDED_PLACE = (
    "The participant is not eligible for funding, so '#/funded_place' cannot be set to true."
)
SCHEDULE_NOT_IN_COHORT = "The selected schedule cannot be found in the application cohort"
SCHEDULE_UNDETERMINED = "Schedule cannot be determined"
SCHEDULE_NOT_FOR_COURSE = "The selected schedule is not valid for the course"
ALREADY_REJECTED = "This NPQ application has already been rejected"
DECLARATIONS_PREVENT_REJECTION = (
    "This application has declarations that prevent it from being rejected. Void the declarations "
    "first, or contact us for assistance."
)
ACCEPT_BEFORE_FUNDED_PLACE = (
    "You must accept the application before attempting to change the '#/funded_place' setting."
)
NOT_ELIGIBLE_CONTACT_US = (
    "This participant is not eligible for funding. Contact us if you think this is wrong."
)
FUNDED_PLACE_NOT_NEEDED = (
    "Leave the '#/funded_place' field blank. It's only needed for participants starting NPQs "
    "from autumn 2024 onwards."
)
FUNDED_PLACE_DECLARATIONS_SUBMITTED = (
    "You cannot change the funded place because declarations have been submitted. You will need "
    "to void the existing declarations and resubmit them after changing the funded place."
)

# --- Participants: defer, resume, withdraw, change schedule --------------------------------
COURSE_NOT_RECOGNISED = (
    "The entered '#/course_identifier' is not recognised for the given participant. Check "
    "details and try again."
)
NO_ACCEPTED_APPLICATION_FOR_COURSE = (
    "Your update cannot be made as an accepted application cannot be found for the given "
    "'#/participant_id' and '#/course_identifier'."
)
PARTICIPANT_NOT_RECOGNISED = (
    "Your update cannot be made as the '#/participant_id' is not recognised. Check participant "
    "details and try again."
)
INVALID_REASON = "The property '#/reason' must be a valid reason"
ALREADY_DEFERRED = "The participant is already deferred"
ALREADY_WITHDRAWN = "The participant is already withdrawn"
ALREADY_ACTIVE = "The participant is already active"
DEFER_WITHOUT_DECLARATIONS = "You cannot defer an NPQ participant that has no declarations"
WITHDRAW_WITHOUT_STARTED = (
    "An NPQ participant who has not got a started declaration cannot be withdrawn. Please "
    "contact support for assistance"
)
SCHEDULE_MUST_BE_PRESENT = "The property '#/schedule_identifier' must be present"
NO_CONTRACT_FOR_COHORT_CHANGE = (
    "You cannot change a participant to this cohort as you do not have a contract for the "
    "cohort and course. Contact the DfE for assistance."
)
SCHEDULE_CHANGE_INVALIDATES = (
    "Changing schedule would invalidate existing declarations. Please void them first."
)
ALREADY_ON_SCHEDULE = "The participant already has the specified schedule"
COHORT_CHANGE_WITH_DECLARATIONS = (
    "You cannot change the '#/cohort' field when there are submitted, eligible, payable, or "
    "paid declarations in the new cohort"
)
COHORT_CAPPED_TO_FULL = (
    "You cannot change the '#/cohort' field from one with a funding cap to one without a "
    "funding cap"
)
# (sic) DfE's text.
COHORT_UNFUNDED_TO_FUNDED = (
    "You cannot change the '#/cohort' field from one that is not funded to with that is funded"
)

# --- Declarations: create, void, change delivery partner -----------------------------------
PARTICIPANT_ID_MUST_BE_PRESENT = "The property '#/participant_id' must be present"
INVALID_DECLARATION_DATE = "Enter a valid RFC3339 '#/declaration_date'."
DATE_BEFORE_SCHEDULE_START = "Enter a '#/declaration_date' that's on or after the schedule start."
ENTER_DECLARATION_DATE = "Enter a '#/declaration_date'."
ENTER_DECLARATION_TYPE = "Enter a '#/declaration_type'."
DECLARATION_TYPE_NOT_RECOGNISED = "The entered '#/declaration_type' is not recognised."
APPLICATION_MISSING_SCHEDULE = "The application is missing a schedule."
TYPE_NOT_IN_SCHEDULE = "The property '#/declaration_type' does not exist for this schedule."
NO_CONTRACT_FOR_DECLARATION = (
    "You cannot submit a declaration for this participant as you do not have a contract for the "
    "cohort and course. Contact the DfE for assistance."
)
HAS_PASSED_REQUIRED = (
    "Enter 'true' or 'false' in the '#/has_passed' field to indicate whether this participant "
    "has passed or failed their course."
)
ALREADY_DECLARED = (
    "A declaration has already been submitted that will be, or has been, paid for this event"
)
DATE_IN_FUTURE = (
    "The '#/declaration_date' value cannot be a future date. Check the date and try again."
)
DECLARATION_ALREADY_VOIDED = "This declaration has already been voided."
# (sic) DfE's text.
DECLARATION_REFUNDED = "The declaration will or has been be refunded."
DECLARATION_NOT_PAID = "The declaration must be paid before it can be clawed back."
CANNOT_MODIFY_DECLARATION = (
    "The declaration cannot be modified because it was created by another lead provider"
)


def contract_ended(year: int | str) -> str:
    return (
        f"You cannot submit or void declarations for the {year} cohort. The funding contract for "
        "this cohort has ended. Get in touch if you need to discuss this with us."
    )


def withdrawn_on(moment: str) -> str:
    return (
        f"This participant withdrew from this course on {moment}. Enter a '#/declaration_date' "
        "that's on or before the withdrawal date."
    )


def partner_must_be_present(field: str) -> str:
    return f"The property '#/{field}' must be present"


def partner_does_not_exist(field: str) -> str:
    return f"The property '#/{field}' does not exist"


def partner_not_confirmed(field: str) -> str:
    return (
        f"The entered '#/{field}' is not from your list of confirmed Delivery Partners for the "
        "Cohort"
    )


def partner_outside_england(field: str) -> str:
    return f"The property '#/{field}' cannot be specified for Applications from outside of England"


SECONDARY_WITHOUT_PRIMARY = (
    "The property '#/secondary_delivery_partner_id' cannot be specified without the property "
    "'#/delivery_partner_id'"
)
SECONDARY_SAME_AS_PRIMARY = (
    "The property '#/secondary_delivery_partner_id' cannot have the same value as the property "
    "'#/delivery_partner_id'"
)

# --- Outcomes -------------------------------------------------------------------------------
ENTER_COURSE_IDENTIFIER = "Enter a '#/course_identifier' value for this participant."
OUTCOME_STATE_NOT_ALLOWED = (
    "The attribute '#/state' can only include 'passed' or 'failed' values. If you need to void "
    "an outcome, you will need to void the associated 'completed' declaration."
)
OUTCOME_STATE_MISSING = (
    "The '#/state' is missing from your request. Please include a 'passed' or 'failed' value "
    "and try again."
)
COMPLETION_DATE_MISSING = (
    "The '#/completion_date' is missing from your request. Please include a completion_date "
    "value and try again."
)
COMPLETION_DATE_FORMAT = (
    "The '#/completion_date' value must be in the following format: 'yyyy-mm-dd'"
)
NO_COMPLETED_DECLARATION = (
    "The participant has not had a 'completed' declaration submitted for them. Therefore you "
    "cannot update their outcome."
)
COMPLETION_DATE_IN_FUTURE = (
    "The '#/completion_date' value cannot be a future date. Check the date and try again."
)


# --- Sandbox control plane (/sandbox/...) ---------------------------------------------------
# Not DfE's: these endpoints exist only in the sandbox, so these texts are the sandbox's own.
SANDBOX_UNKNOWN_DECLARATION_STATE = (
    "The '#/state' must be one of eligible, payable, paid, ineligible or clawed-back"
)
SANDBOX_COURSE_IDENTIFIER = "The '#/course_identifier' must be one of the 12 NPQ course identifiers"
SANDBOX_COHORT = (
    "The '#/cohort' must be a cohort such as '2025a' or '2025b', or a start year such as 2025 "
    "(meaning '2025a')"
)
SANDBOX_PARTICIPANT_NOT_FOUND = (
    "The '#/participant_id' must be the id of a person you have an application for; to give "
    "another lead provider an application too, send '#/competing_lead_provider'"
)
SANDBOX_TRN = "The '#/teacher_reference_number' must be 7 digits"
SANDBOX_TEACHER_CATCHMENT = (
    "The '#/teacher_catchment' must be one of england, scotland, wales, northern_ireland, "
    "jersey_guernsey_isle_of_man or another"
)
SANDBOX_CATCHMENT_COUNTRY = (
    "Enter a '#/teacher_catchment_country' when the '#/teacher_catchment' is another"
)
SANDBOX_COMPETING_PROVIDER = (
    "The '#/competing_lead_provider' must be the name or id of another lead provider"
)
SANDBOX_CLOCK_NOW = "The '#/now' must be an RFC 3339 date-time such as 2026-01-10T10:42:00Z"
SANDBOX_CLOCK_ADVANCE = "Enter a number of '#/days' or '#/seconds' to move the clock by"
SANDBOX_CLOCK_RANGE = "The sandbox clock must stay between 2000-01-01 and 2099-12-31"


def sandbox_must_be_boolean(name: str) -> str:
    return f"The '#/{name}' must be true or false"


def sandbox_must_be_text(name: str) -> str:
    return f"The '#/{name}' must be a non-empty string"


def sandbox_must_be_number(name: str) -> str:
    return f"The '#/{name}' must be a number"


def sandbox_cannot_move_declaration(from_state: str, to_state: str) -> str:
    return f"A declaration cannot move from {from_state} to {to_state}"


def sandbox_cannot_move_statement(from_state: str, to_state: str) -> str:
    return f"A statement cannot move from {from_state} to {to_state}"


# Faults and the journal (/sandbox/faults, /sandbox/journal): the sandbox's own texts too.
SANDBOX_FAULT_METHOD = (
    "The '#/method' must be * or one of GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS"
)
SANDBOX_FAULT_PATH = (
    "The '#/path' must be a non-empty glob pattern on the request path, such as /api/v3/*"
)
SANDBOX_FAULT_STATUS = "The '#/status' must be 401, 429, 500 or 503"
SANDBOX_FAULT_STATUS_OR_LOST = "A fault has either a '#/status' or a '#/lost_response', not both"
SANDBOX_FAULT_TIMES = (
    "The '#/times' must be a whole number from 1 to 1000000, or null for every time"
)
SANDBOX_FAULT_PROBABILITY = "The '#/probability' must be a number above 0 and at most 1"
SANDBOX_FAULT_INJECTED = "Injected fault"
# DfE's throttle (Rack::Attack) answers its 429 with this plain-text body.
RETRY_LATER = "Retry later\n"


def sandbox_fault_range(name: str, limit: int) -> str:
    return f"The '#/{name}' must be a number from 0 to {limit}"


def sandbox_fault_whole(name: str, limit: int) -> str:
    return f"The '#/{name}' must be a whole number from 0 to {limit}"


def sandbox_fault_limit(limit: int) -> str:
    return f"A provider keeps at most {limit} faults; remove some (DELETE /sandbox/faults) first"


SANDBOX_FAULT_TITLES = {500: "Internal server error", 503: "Service unavailable"}


# DfE's admin operations in the control plane (/sandbox/participants, /sandbox/npq-applications,
# /sandbox/contracts, /sandbox/statements/{id}/dates): DfE's admin screens word these refusals
# for its staff, not for the API, so the texts are the sandbox's own.
SANDBOX_ELIGIBILITY_STATUS_CODE = (
    "The '#/funding_eligiblity_status_code' must be marked_funded_by_policy or "
    "marked_ineligible_by_policy"
)
SANDBOX_INELIGIBLE_WITH_BILLABLE = (
    "The application has eligible, payable or paid declarations: void them before marking it "
    "not eligible for funding"
)
SANDBOX_INELIGIBLE_WITH_FUNDED_PLACE = (
    "The application has a funded place: set its '#/funded_place' to false before marking it "
    "not eligible for funding"
)
SANDBOX_SAME_COHORT = "The application is already in this cohort"
SANDBOX_COHORT_WITH_DECLARATIONS = "The cohort of an application with declarations cannot change"
SANDBOX_SCHEDULE_NOT_IN_COHORT = "The application's schedule does not exist in the new cohort"
SANDBOX_LEAD_PROVIDER = "The '#/lead_provider_id' must be the id or name of a lead provider"
SANDBOX_SAME_LEAD_PROVIDER = "The application already belongs to this lead provider"
SANDBOX_TRAINING_STATUS = "The '#/training_status' must be active, deferred or withdrawn"
SANDBOX_TRAINING_STATUS_PENDING = "The training status of a pending application cannot change"
SANDBOX_REVERT_STATUS = "Only an accepted or rejected application can be reverted to pending"
SANDBOX_REVERT_DECLARATIONS = (
    "The application has declarations that are not voided, ineligible or clawed back: void "
    "them before reverting it to pending"
)
SANDBOX_STATEMENT_DATES = "Enter a '#/deadline_date' or a '#/payment_date'"
SANDBOX_DEADLINE_AFTER_PAYMENT = "The '#/deadline_date' must be on or before the '#/payment_date'"
SANDBOX_CONTRACT_HELD = "You already have a contract for this cohort and course"
SANDBOX_PERSON_ATTRIBUTES = (
    "Enter at least one of '#/full_name', '#/email', '#/trn' or '#/trn_verified'"
)
SANDBOX_PERSON_TRN = "The '#/trn' must be 7 digits"
SANDBOX_EMAIL_TAKEN = "The '#/email' is already another participant's"
SANDBOX_ALREADY_ARCHIVED = "The participant is already archived"
SANDBOX_MERGE_SAME = "The '#/from_participant_id' and '#/to_participant_id' must differ"
SANDBOX_MERGE_NOT_YOURS = (
    "You must have an application for the '#/from_participant_id' or the '#/to_participant_id'"
)


def sandbox_must_be_date(name: str) -> str:
    return f"The '#/{name}' must be a date such as 2026-03-25"


def sandbox_no_participant(name: str) -> str:
    return f"The '#/{name}' must be the id of a participant (not one merged away)"
