// What `npm pack` would publish: the built files and types, nothing else; exports that resolve.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

test("npm pack ships dist (ESM, CJS, .d.ts) and the README, and no sources, tests or dependencies", () => {
  const [report] = JSON.parse(execFileSync(npm, ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8" }));
  const files = report.files.map((f) => f.path).sort();
  for (const half of ["esm", "cjs"]) {
    for (const name of ["index.js", "index.d.ts", "react.js", "react.d.ts", "presence.js", "wire.js", "types.d.ts", "package.json"]) {
      assert.ok(files.includes(`dist/${half}/${name}`), `dist/${half}/${name} is packed (files: ${files.join(", ")})`);
    }
  }
  assert.ok(files.includes("README.md") && files.includes("package.json"));
  const stray = files.filter((f) => !f.startsWith("dist/") && !["README.md", "package.json", "LICENSE"].includes(f));
  assert.deepEqual(stray, [], "nothing but dist, the README and package.json");
  assert.equal(report.name, "@presence/client");
});

test("every export target exists, with its types", () => {
  for (const [entry, conditions] of Object.entries(pkg.exports)) {
    if (typeof conditions === "string") continue;
    for (const condition of ["import", "require"]) {
      for (const target of Object.values(conditions[condition])) assert.ok(existsSync(join(root, target)), `${entry} ${condition} -> ${target}`);
    }
  }
  const require = createRequire(import.meta.url);
  assert.equal(typeof require("@presence/client").createPresence, "function");
  assert.equal(typeof require("@presence/client/react").usePresence, "function");
});

test("peer dependencies: @microsoft/signalr required, react optional; no runtime dependencies", () => {
  assert.ok(pkg.peerDependencies["@microsoft/signalr"]);
  assert.ok(pkg.peerDependencies.react);
  assert.equal(pkg.peerDependenciesMeta.react.optional, true);
  assert.equal(pkg.dependencies, undefined);
  // The core imports nothing at run time, so a browser can load dist/esm as it is.
  for (const file of ["index.js", "presence.js", "wire.js", "types.js"]) {
    assert.doesNotMatch(readFileSync(join(root, "dist/esm", file), "utf8"), /from\s+["'](?!\.)/, `${file} has no bare import`);
  }
});

test("the types check for an ES module and a CommonJS consumer", () => {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  execFileSync(process.execPath, [tsc, "-p", join(root, "test/fixtures/tsconfig.json")], { cwd: root, stdio: "pipe" });
});
