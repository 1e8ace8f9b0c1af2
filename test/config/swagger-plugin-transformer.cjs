// The same @nestjs/swagger CLI plugin as `nest build` (options from nest-cli.json), for ts-jest,
// so the OpenAPI document under test is the one we ship.
const transformer = require('@nestjs/swagger/plugin');
const nestCli = JSON.parse(require('fs').readFileSync(require('path').join(__dirname, '../../nest-cli.json'), 'utf8'));

const options = nestCli.compilerOptions.plugins.find((p) => p.name === '@nestjs/swagger').options;

module.exports.name = 'nestjs-swagger-transformer';
module.exports.version = 1;
module.exports.factory = (cs) => transformer.before(options, cs.program);
