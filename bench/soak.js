#!/usr/bin/env node
'use strict';
// Entry of `npm run soak`: see bench/README.md.
require('./register-ts');
require('./soak.ts');
