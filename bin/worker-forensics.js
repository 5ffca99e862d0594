#!/usr/bin/env node
// The compiled CLI (npm run build). Only this file exits: at once, so that a request still
// pending after a timeout cannot keep the process alive (stdout to a pipe or file is synchronous).
import { main } from '../dist/cli/main.js';

process.exit(await main(process.argv.slice(2)));
