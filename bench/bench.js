#!/usr/bin/env node
'use strict';
// Entry of `npm run bench` (after `npm run build`): see bench/README.md.
require('./register-ts');
require('./bench.ts');
