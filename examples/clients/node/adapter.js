// The conformance kit's protocol around the Node.js client (`npq-client.js`): read the
// instructions, perform each with the client, write the results and the client's view.
//
//   npq-conformance run --client "node examples/clients/node/adapter.js"
"use strict";

const fs = require("fs");
const npq = require("./npq-client.js");

async function main() {
  const env = process.env;
  const client = npq.connect(env.NPQ_API_BASE_URL, env.NPQ_API_TOKEN);
  const { instructions } = JSON.parse(fs.readFileSync(env.NPQ_INSTRUCTIONS, "utf8"));
  const results = [];
  for (const { id, action, ...params } of instructions) {
    try {
      const record = await client[action](params);
      results.push(record ? { id, outcome: "done", record } : { id, outcome: "done" });
    } catch (error) {
      if (!(error instanceof npq.Refused)) throw error;
      const result = { id, outcome: "refused", error: error.details.join("\n") };
      results.push(error.record ? { ...result, record: error.record } : result);
    }
  }
  fs.writeFileSync(env.NPQ_RESULTS, JSON.stringify({ results, view: client.view() }, null, 2));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
