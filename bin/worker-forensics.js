#!/usr/bin/env node
// The compiled CLI (npm run build). Only this file exits. It waits until stdout and stderr have
// handed everything to the OS (writes to a pipe are asynchronous: exiting at once would cut the
// output at the pipe's buffer), then exits at once, so that a request still pending after a
// timeout cannot keep the process alive.
import { main } from '../dist/cli/main.js';

const code = await main(process.argv.slice(2));
const flushed = (stream) => new Promise((resolve) => stream.write('', resolve));
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(code);
