import { DynamicModule, FactoryProvider, Module, Type } from '@nestjs/common';
import { MockFileStore } from '../mock/mock-file.store.js';
import { MockModule } from '../mock/mock.module.js';
import type { DomainsModule } from '../mock/mock-domains.js';
import { VendorClientsModule } from '../platform/live-clients.module.js';
import { SOURCE_SIDES, SourceSides } from './source-binding.js';
import { servesAny, SOURCE_MODES, SourceModes } from '../config/source-modes.js';

/** SOURCE_SIDES from the sides these modes build; a side not built is not injected, so it cannot be asked for. */
function sidesProvider(mocked: boolean): FactoryProvider<SourceSides> {
  return {
    provide: SOURCE_SIDES,
    inject: mocked ? [MockFileStore] : [],
    useFactory: (mock?: MockFileStore): SourceSides => ({ mock }),
  };
}

/** SOURCE_MODES and SOURCE_SIDES for every module; the sides' own modules come from `sourceModules`. */
@Module({})
export class SourceBindingModule {
  static forRoot(modes: SourceModes): DynamicModule {
    return {
      module: SourceBindingModule,
      global: true,
      providers: [{ provide: SOURCE_MODES, useValue: modes }, sidesProvider(servesAny(modes, 'mock'))],
      exports: [SOURCE_MODES, SOURCE_SIDES],
    };
  }
}

/**
 * Where each domain's data comes from, decided once per boot, and only the modules those modes read
 * from: MockModule when something is mocked; the vendor clients always (the admin API tests an
 * integration in every mode, and the sync's fetchers use them). The replica reads are the root
 * module's to register (AppModule), with the sync that keeps them. For a root module's own imports.
 */
export function sourceModules(modes: SourceModes, domains: DomainsModule): Array<DynamicModule | Type> {
  return [SourceBindingModule.forRoot(modes), ...(servesAny(modes, 'mock') ? [MockModule.forRoot(domains)] : []), VendorClientsModule];
}
