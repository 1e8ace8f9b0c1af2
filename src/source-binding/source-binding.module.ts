import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { DynamicModule, FactoryProvider, Module, Type } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Cache } from 'cache-manager';
import { liveConfig } from '../config/live.config.js';
import { LiveCache } from '../live/live-cache.js';
import { LiveClients } from '../live/live-clients.js';
import { LiveModule } from '../live/live.module.js';
import { MockFileStore } from '../mock/mock-file.store.js';
import { MockModule } from '../mock/mock.module.js';
import type { DomainsModule } from '../mock/mock-domains.js';
import { PlatformStore } from '../platform/platform.store.js';
import { SOURCE_SIDES, SourceSides } from './source-binding.js';
import { servesAny, SOURCE_MODES, SourceModes } from '../config/source-modes.js';

/** SOURCE_SIDES from the sides these modes build; a side not built is not injected, so it cannot be asked for. */
function sidesProvider(mocked: boolean, live: boolean): FactoryProvider<SourceSides> {
  const mockParts = mocked ? [MockFileStore] : [];
  const liveParts = live ? [PlatformStore, LiveClients, LiveCache, CACHE_MANAGER, liveConfig.KEY] : [];
  return {
    provide: SOURCE_SIDES,
    inject: [...mockParts, ...liveParts],
    useFactory: (...parts: unknown[]): SourceSides => {
      const mock = mocked ? (parts.shift() as MockFileStore) : undefined;
      if (!live) return { mock };
      const [platform, clients, cache, sharedCache, config] = parts as [PlatformStore, LiveClients, LiveCache, Cache, ConfigType<typeof liveConfig>];
      return { mock, live: { deps: { platform, clients, cache, windowDays: config.windowDays }, sharedCache } };
    },
  };
}

/** SOURCE_MODES and SOURCE_SIDES for every module; the sides' own modules come from `sourceModules`. */
@Module({})
export class SourceBindingModule {
  static forRoot(modes: SourceModes): DynamicModule {
    return {
      module: SourceBindingModule,
      global: true,
      providers: [{ provide: SOURCE_MODES, useValue: modes }, sidesProvider(servesAny(modes, 'mock'), servesAny(modes, 'live'))],
      exports: [SOURCE_MODES, SOURCE_SIDES],
    };
  }
}

/**
 * Where each domain's data comes from, decided once per boot, and only the modules those modes read
 * from: MockModule when something is mocked, LiveModule's cache side when something is live. For a root
 * module's own imports (AppModule, the CLIs).
 */
export function sourceModules(modes: SourceModes, domains: DomainsModule): Array<DynamicModule | Type> {
  return [
    SourceBindingModule.forRoot(modes),
    ...(servesAny(modes, 'mock') ? [MockModule.forRoot(domains)] : []),
    LiveModule.forRoot({ liveData: servesAny(modes, 'live') }),
  ];
}
