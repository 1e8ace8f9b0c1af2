import { Global, Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { mockConfig } from '../config/mock.config.js';
import { MockFileStore } from './mock-file.store.js';

/** The mock-data folder, read only when some domain is mocked (MOCK_MODE=true, or MOCK_DOMAINS in mixed mode): in live mode nothing here is constructed. */
@Global()
@Module({
  providers: [
    {
      provide: MockFileStore,
      inject: [mockConfig.KEY],
      useFactory: (config: ConfigType<typeof mockConfig>) => (config.enabled || config.domains.length > 0 ? new MockFileStore(config) : null),
    },
  ],
  exports: [MockFileStore],
})
export class MockModule {}
