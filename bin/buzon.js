#!/usr/bin/env node
// The `buzon` command. The source runs directly on Node's type stripping (Node 26, pinned in
// package.json); there is no build step for the server. An older Node would fail on the first
// TypeScript file with an English stack trace, so say what to do instead.
const major = Number(process.versions.node.split(".")[0]);
if (major < 26) {
  process.stderr.write(
    `Error: buzon necesita Node 26 o posterior (este es ${process.versions.node}). Ejecútelo con «npx buzon …» o «npm start», que usan el Node del proyecto.\n`,
  );
  process.exit(2);
}
const { run } = await import("../src/cli/main.ts");
await run(process.argv.slice(2));
