import { DynamicModule, Global, Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { mockConfig } from '../config/mock.config.js';
import { MockFileStore } from './mock-file.store.js';
import type { DomainsModule } from './mock-domains.js';

/** The mock-data folder (store and watcher). Imported only when some domain is mocked (SourceBindingModule): in live mode it is not part of the application at all. */
@Global()
@Module({})
export class MockModule {
  /** `domains`: the module listing the folder's domains (`DOMAINS_MODULE` of src/domains.ts), named by the application above them. */
  static forRoot(domains: DomainsModule): DynamicModule {
    return {
      module: MockModule,
      providers: [
        {
          provide: MockFileStore,
          inject: [mockConfig.KEY],
          useFactory: (config: ConfigType<typeof mockConfig>) => new MockFileStore(config, domains),
        },
      ],
      exports: [MockFileStore],
    };
  }
}
