import { Global, Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { mockConfig } from '../config/mock.config.js';
import { MockFileStore } from './mock-file.store.js';

/** The mock-data folder (store and watcher). Imported only when some domain is mocked (SourceBindingModule): in live mode it is not part of the application at all. */
@Global()
@Module({
  providers: [
    {
      provide: MockFileStore,
      inject: [mockConfig.KEY],
      useFactory: (config: ConfigType<typeof mockConfig>) => new MockFileStore(config),
    },
  ],
  exports: [MockFileStore],
})
export class MockModule {}
