// A careful NPQ Lead Provider API (v3) client in plain Node.js 20: fetch, no npm packages.
//
// It stands for a provider's own integration: one function per action, each returning the
// record it now believes, or throwing `Refused` with the API's own detail texts; and a local
// view of every record it knows. `adapter.js` wraps it in the conformance kit's protocol.
//
// What makes it careful:
// - lists are read page by page until a page holds fewer records than asked for (DfE sends
//   no page count; a short or empty page is the last);
// - later syncs of a list ask only for changes, with filter[updated_since];
// - a refusal (a 4xx other than 429) is never sent again, and its details are kept verbatim;
// - a 429 waits Retry-After seconds; a 5xx, a lost connection or an answer slower than five
//   seconds backs off; both are bounded;
// - a declaration whose answer was lost is found, not posted twice;
// - a participant id DfE merged into another (its read answers 410) is followed, through
//   participant_id_changes, to the id DfE kept, hop by hop: a 410 names the id it was merged
//   into, which may itself have been merged since;
// - the view holds what the API answered, never what the client expected.
//
// NPQ_NODE_MISTAKES (comma-separated) makes deliberate mistakes, for the kit to name:
// no-paging, no-incremental, own-words, retry-refusals, ignore-retry-after, expected-state,
// no-lost-recovery, bad-requests.
"use strict";

const LISTS = {
  applications: "/npq-applications",
  participants: "/participants/npq",
  declarations: "/participant-declarations",
};
const STATE = { applications: "status", participants: "training_status", declarations: "state" };
const PER_PAGE = 100;
const MAX_MERGE_HOPS = 10; // a longer chain of merged ids is taken for a loop, and given up
const MAX_ATTEMPTS = 5; // the first try and four retries, for 429s, 5xx and lost answers
const TIMEOUT_MS = 5000; // an answer slower than this is treated as lost (and retried)
const MARGIN_MS = 60 * 1000; // a re-sync starts a minute before the previous one did
const ALREADY_SUBMITTED =
  "A declaration has already been submitted that will be, or has been, paid for this event";
const LIVE = new Set(["submitted", "eligible", "payable", "paid"]);
const MISTAKES = new Set((process.env.NPQ_NODE_MISTAKES || "").split(",").filter(Boolean));

class Refused extends Error {
  /** The API said no; `details` are its own words, one per errors[].detail; `status` and
   * `body` are the answer's, when there was one. */
  constructor(details, status, body) {
    super(details.join("\n"));
    this.details = details;
    this.status = status;
    this.body = body;
  }
}

const sleep = (seconds) => new Promise((done) => setTimeout(done, seconds * 1000));

class Api {
  /** HTTP only: the token, retries that are safe, and the API's error texts. */
  constructor(baseUrl, token) {
    this.baseUrl = baseUrl.replace(/\/$/, "");
    this.headers = { Authorization: `Bearer ${token}`, Accept: "application/json" };
    this.lostAnswer = false; // an attempt of the last call was sent but never answered
  }

  async call(method, path, body) {
    this.lostAnswer = false;
    const init = { method, headers: { ...this.headers } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    for (let attempt = 1; ; attempt++) {
      const last = attempt === MAX_ATTEMPTS;
      let response;
      try {
        response = await fetch(this.baseUrl + path, {
          ...init,
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
      } catch (error) {
        this.lostAnswer = true; // the request may have been processed: retry, then look
        if (last) throw new Refused([`No answer from the API: ${error.message}`]);
        await sleep(backoff(attempt));
        continue;
      }
      const status = response.status;
      if (status === 429 && !last) {
        await sleep(MISTAKES.has("ignore-retry-after") ? 0 : retryAfter(response, 1));
      } else if (status >= 500 && !last) {
        await sleep(retryAfter(response, backoff(attempt)));
      } else if (status >= 400) {
        const { details, body } = await errorDetails(response);
        if (MISTAKES.has("retry-refusals") && !init.retried) {
          init.retried = true;
          for (let i = 0; i < 3; i++) await fetch(this.baseUrl + path, init);
        }
        const words = MISTAKES.has("own-words") ? ["The API refused the request"] : details;
        throw new Refused(words, status, body);
      } else {
        return response.json();
      }
    }
  }

  /** Every record of a list, page by page until a short (or empty) page. */
  async listAll(path, filters = {}) {
    const records = [];
    for (let page = 1; ; page++) {
      const query = new URLSearchParams({
        ...filters,
        "page[page]": String(page),
        "page[per_page]": String(PER_PAGE),
      });
      if (MISTAKES.has("bad-requests")) query.set("page[size]", String(PER_PAGE));
      const { data } = await this.call("GET", `${path}?${query}`);
      records.push(...data);
      if (data.length < PER_PAGE || MISTAKES.has("no-paging")) return records;
    }
  }
}

function backoff(attempt) {
  return 0.5 * 2 ** (attempt - 1); // 0.5, 1, 2, 4 seconds
}

function retryAfter(response, fallback) {
  const seconds = Number(response.headers.get("Retry-After"));
  return response.headers.has("Retry-After") && seconds >= 0 ? seconds : fallback;
}

/** The API's own words (every errors[].detail, or the `error` of a 401 or 404), and the
 * answer's JSON body (undefined when it is not JSON). */
async function errorDetails(response) {
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON, e.g. the throttle's plain "Retry later"
  }
  if (Array.isArray(body?.errors)) return { details: body.errors.map((e) => String(e.detail)), body };
  if (body?.error !== undefined) return { details: [String(body.error)], body };
  return { details: [text.trim() || `HTTP ${response.status}`], body };
}

/** The id a 410's participant_id_changes gives for a merged-away participant id. */
function replacedBy(participantId, body) {
  for (const error of body?.errors || []) {
    const change = (error.participant_id_changes || []).find(
      (c) => c.from_participant_id === participantId,
    );
    if (change) return change.to_participant_id;
  }
  return undefined;
}

function document(type, attributes) {
  const given = Object.fromEntries(Object.entries(attributes).filter(([, v]) => v !== undefined));
  return { data: { type, attributes: given } };
}

class Client {
  /** The integration: actions, and the local view they keep. */
  constructor(api) {
    this.api = api;
    this.records = { applications: {}, participants: {}, declarations: {} };
    this.courses = {}; // participant id -> { course identifier -> training status }
    this.courseOf = {}; // participant id -> the course last acted on
    this.syncStarted = {}; // list -> when its last sync began (our clock)
  }

  async sync({ resources } = {}) {
    for (const resource of resources || Object.keys(LISTS)) {
      const started = Date.now();
      const filters = {};
      if (resource in this.syncStarted && !MISTAKES.has("no-incremental")) {
        const since = new Date(this.syncStarted[resource] - MARGIN_MS);
        filters["filter[updated_since]"] = since.toISOString().replace(/\.\d+Z$/, "Z");
      }
      for (const record of await this.api.listAll(LISTS[resource], filters)) {
        this.remember(resource, record);
      }
      this.syncStarted[resource] = started;
    }
    return null;
  }

  /** Take the API's word for one record; return what a result reports about it. */
  remember(resource, record) {
    const attributes = record.attributes;
    if (resource === "participants") {
      const courses = (this.courses[record.id] = this.courses[record.id] || {});
      for (const enrolment of attributes.npq_enrolments) {
        courses[enrolment.course_identifier] = enrolment.training_status;
      }
      this.records.participants[record.id] = this.trainingStatus(record.id);
    } else {
      this.records[resource][record.id] = attributes[STATE[resource]];
    }
    return { id: record.id, [STATE[resource]]: this.records[resource][record.id] };
  }

  trainingStatus(participantId) {
    const courses = this.courses[participantId] || {};
    const course = this.courseOf[participantId];
    return course in courses ? courses[course] : Object.values(courses)[0];
  }

  /** Send a change; take the answer into the view, or after a refusal re-read the record. */
  async write(resource, method, path, body, expected) {
    try {
      const { data } = await this.api.call(method, path, body);
      return this.remember(resource, data);
    } catch (error) {
      if (!(error instanceof Refused)) throw error;
      error.record = MISTAKES.has("expected-state")
        ? this.believe(resource, path, expected)
        : await this.reread(resource, path.slice(0, path.lastIndexOf("/")));
      throw error;
    }
  }

  async reread(resource, recordPath) {
    try {
      const { data } = await this.api.call("GET", recordPath);
      return this.remember(resource, data);
    } catch (error) {
      if (error instanceof Refused) return null; // e.g. a 404: nothing to re-read
      throw error;
    }
  }

  believe(resource, path, expected) {
    const id = path.split("/").at(-2);
    this.records[resource][id] = expected;
    return { id, [STATE[resource]]: expected };
  }

  accept_application({ application_id, funded_place, schedule_identifier }) {
    const given = { funded_place, schedule_identifier };
    const body = Object.values(given).some((v) => v !== undefined)
      ? document("npq-application-accept", given)
      : undefined; // the body is optional, but an empty `attributes` is refused
    const path = `/npq-applications/${application_id}/accept`;
    return this.write("applications", "POST", path, body, "accepted");
  }

  reject_application({ application_id }) {
    const path = `/npq-applications/${application_id}/reject`;
    return this.write("applications", "POST", path, undefined, "rejected");
  }

  change_funded_place({ application_id, funded_place }) {
    const body = document("npq-application-change-funded-place", { funded_place });
    const path = `/npq-applications/${application_id}/change-funded-place`;
    return this.write("applications", "PUT", path, body, "accepted");
  }

  async changeParticipant(verb, expected, { participant_id, ...attributes }) {
    this.courseOf[participant_id] = attributes.course_identifier;
    const body = document(`participant-${verb}`, attributes);
    const path = `/participants/npq/${participant_id}/${verb}`;
    try {
      return await this.write("participants", "PUT", path, body, expected);
    } catch (error) {
      const kept = await this.mergedInto(participant_id, error);
      if (!kept) throw error;
      return this.changeParticipant(verb, expected, { participant_id: kept, ...attributes });
    }
  }

  /** After a 404 on a participant, the live id DfE kept if it merged this one into another,
   * following the chain of 410s (a read of a merged id names the next id). Undefined
   * otherwise. */
  async mergedInto(participantId, refusal) {
    if (!(refusal instanceof Refused) || refusal.status !== 404) return undefined;
    const chain = [];
    let current = participantId;
    for (let next; (next = await this.replacement(current)) !== undefined; current = next) {
      chain.push(current);
      if (chain.length === MAX_MERGE_HOPS) return undefined;
    }
    for (const old of chain) {
      delete this.courses[old]; // that id is gone for good
      delete this.records.participants[old];
    }
    return chain.length ? current : undefined;
  }

  /** The id a read's 410 says this one was replaced with; undefined for any other answer. */
  async replacement(participantId) {
    try {
      await this.api.call("GET", `/participants/npq/${participantId}`);
    } catch (error) {
      const gone = error instanceof Refused && error.status === 410;
      if (gone) return replacedBy(participantId, error.body);
    }
    return undefined;
  }

  defer_participant(step) {
    return this.changeParticipant("defer", "deferred", step);
  }

  resume_participant(step) {
    return this.changeParticipant("resume", "active", step);
  }

  withdraw_participant(step) {
    return this.changeParticipant("withdraw", "withdrawn", step);
  }

  change_schedule(step) {
    return this.changeParticipant("change-schedule", "active", step);
  }

  void_declaration({ declaration_id }) {
    const path = `/participant-declarations/${declaration_id}/void`;
    return this.write("declarations", "PUT", path, undefined, "voided");
  }

  /** Post a declaration; if an earlier attempt's answer was lost, find what it made. */
  async submit_declaration(attributes) {
    this.courseOf[attributes.participant_id] = attributes.course_identifier;
    const body = document("participant-declaration", attributes);
    try {
      const { data } = await this.api.call("POST", "/participant-declarations", body);
      return this.remember("declarations", data);
    } catch (error) {
      const ours = this.api.lostAnswer && error.details?.join("\n") === ALREADY_SUBMITTED;
      if (!ours || MISTAKES.has("no-lost-recovery")) throw error;
      const found = await this.findDeclaration(attributes);
      if (!found) throw error;
      return this.remember("declarations", found);
    }
  }

  async findDeclaration({ participant_id, course_identifier, declaration_type }) {
    const filters = { "filter[participant_id]": participant_id };
    const mine = await this.api.listAll(LISTS.declarations, filters);
    return mine.find(
      ({ attributes: a }) =>
        a.course_identifier === course_identifier &&
        a.declaration_type === declaration_type &&
        LIVE.has(a.state),
    );
  }

  async record_outcome({ participant_id, ...attributes }) {
    this.courseOf[participant_id] = attributes.course_identifier;
    const body = document("npq-outcome-confirm", attributes);
    const path = `/participants/npq/${participant_id}/outcomes`;
    try {
      const { data } = await this.api.call("POST", path, body);
      return { id: data.id, state: data.attributes.state };
    } catch (error) {
      const kept = await this.mergedInto(participant_id, error);
      if (!kept) throw error;
      return this.record_outcome({ participant_id: kept, ...attributes });
    }
  }

  /** What the client knows; participants per enrolment (course identifier -> training status). */
  view() {
    const participants = {};
    for (const [id, courses] of Object.entries(this.courses)) participants[id] = { ...courses };
    return { ...this.records, participants };
  }
}

function connect(baseUrl, token) {
  return new Client(new Api(baseUrl, token));
}

module.exports = { connect, Refused };
