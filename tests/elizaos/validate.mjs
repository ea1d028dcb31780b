// Judge many characters with the real elizaOS runtime in one process (tests/test_character_compat.py).
// stdin: JSON array of {id, character}; stdout, as its last line: JSON array of {id, valid, error}.
// Run `npm ci --prefix tests/elizaos` first.
import { readFileSync } from "node:fs";
import { validateCharacter } from "@elizaos/core";

const describe = (issues) =>
  (issues ?? []).map((i) => `${i.path.join(".") || "<root>"}: ${i.message}`).join("; ");

const cases = JSON.parse(readFileSync(0, "utf8"));
const results = cases.map(({ id, character }) => {
  const result = validateCharacter(character);
  return { id, valid: result.success, error: result.success ? null : describe(result.error?.issues) };
});
// A line of its own, so a log line printed by the runtime cannot corrupt the answer.
process.stdout.write(`\n${JSON.stringify(results)}\n`);
