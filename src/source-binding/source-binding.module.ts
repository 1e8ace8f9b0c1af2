import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { DynamicModule, FactoryProvider, Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Cache } from 'cache-manager';
import { liveConfig } from '../config/live.config.js';
import { LiveCache } from '../live/live-cache.js';
import { LiveClients } from '../live/live-clients.js';
import { LiveModule } from '../live/live.module.js';
import { MockFileStore } from '../mock/mock-file.store.js';
import { MockModule } from '../mock/mock.module.js';
import { PlatformStore } from '../platform/platform.store.js';
import { SOURCE_SIDES, SourceSides } from './source-binding.js';
import { servesAny, SOURCE_MODES, SourceModes } from './source-modes.js';

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

/**
 * Where each domain's data comes from, decided once per boot: SOURCE_MODES, and only the modules those
 * modes read from: MockModule when something is mocked, LiveModule's cache side when something is live.
 * Imported by the root modules (AppModule, the CLIs); its interceptors (LiveModule's) come at its place there.
 */
@Module({})
export class SourceBindingModule {
  static forRoot(modes: SourceModes): DynamicModule {
    const mocked = servesAny(modes, 'mock');
    const live = servesAny(modes, 'live');
    return {
      module: SourceBindingModule,
      global: true,
      imports: [...(mocked ? [MockModule] : []), LiveModule.forRoot({ liveData: live })],
      providers: [{ provide: SOURCE_MODES, useValue: modes }, sidesProvider(mocked, live)],
      exports: [SOURCE_MODES, SOURCE_SIDES],
    };
  }
}
