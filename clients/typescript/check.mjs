// Fails when src/schema.d.ts is not what openapi-typescript makes of the
// committed spec (run `npm run generate` and commit the result).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const fresh = join(mkdtempSync(join(tmpdir(), "cra-types-")), "schema.d.ts");
execFileSync("npx", ["openapi-typescript", "../../openapi/openapi.json", "--output", fresh], {
  stdio: "ignore",
});
if (readFileSync(fresh, "utf8") !== readFileSync("src/schema.d.ts", "utf8")) {
  console.error("clients/typescript/src/schema.d.ts differs from the spec: run `npm run generate`.");
  process.exit(1);
}
console.log("src/schema.d.ts matches openapi/openapi.json");
