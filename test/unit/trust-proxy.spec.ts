import { EnvironmentError, parseTrustProxy, validateEnvironment } from '../../src/config/env.validation.js';

describe('TRUST_PROXY', () => {
  it('is off by default', () => {
    expect(parseTrustProxy(validateEnvironment({ MOCK_MODE: 'true', MOCK_DATA_PATH: './mock-data' }).TRUST_PROXY)).toBe(false);
  });

  it.each([
    ['false', false],
    ['true', true],
    ['1', 1],
    ['loopback', ['loopback']],
    ['10.0.0.0/8, 192.168.1.10,::1,fd00::/8,uniquelocal', ['10.0.0.0/8', '192.168.1.10', '::1', 'fd00::/8', 'uniquelocal']],
  ])('takes %j as Fastify trustProxy %j', (value, expected) => {
    expect(parseTrustProxy(value)).toEqual(expected);
  });

  it.each(['yes', '10.0.0.0/33', '10.0.0', 'loopback,proxy.internal', '::1/129', '10.0.0.0/8/1', '-1'])('refuses %j at boot, naming the variable', (value) => {
    expect(() => validateEnvironment({ MOCK_MODE: 'true', MOCK_DATA_PATH: './mock-data', TRUST_PROXY: value })).toThrow(EnvironmentError);
    try {
      validateEnvironment({ MOCK_MODE: 'true', MOCK_DATA_PATH: './mock-data', TRUST_PROXY: value });
    } catch (error) {
      expect((error as EnvironmentError).problems).toEqual([expect.stringMatching(new RegExp(`^TRUST_PROXY=${JSON.stringify(value).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: must be false, true`))]);
    }
  });
});
