// @nestjs/throttler is CommonJS and require()s @nestjs/common, which is ESM. Inside Jest's ESM graph
// walk that require() meets them half-loaded and Jest refuses the cycle (Node itself is
// fine: dist/ runs as is). Loading both once, before the test file, makes them finished modules.
require('@nestjs/common');
require('@nestjs/core');
