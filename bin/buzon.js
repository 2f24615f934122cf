#!/usr/bin/env node
// The `buzon` command. The source runs directly on Node's type stripping (Node 26, pinned in
// package.json); there is no build step for the server.
import { run } from "../src/cli/main.ts";

await run(process.argv.slice(2));
