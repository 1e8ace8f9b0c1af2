import { Global, Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { mockConfig } from '../config/mock.config.js';
import { MockFileStore } from './mock-file.store.js';

/** The mock-data folder, read only when MOCK_MODE=true: in live mode nothing here is constructed. */
@Global()
@Module({
  providers: [
    {
      provide: MockFileStore,
      inject: [mockConfig.KEY],
      useFactory: (config: ConfigType<typeof mockConfig>) => (config.enabled ? new MockFileStore(config) : null),
    },
  ],
  exports: [MockFileStore],
})
export class MockModule {}
