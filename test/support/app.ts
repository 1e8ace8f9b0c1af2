import { ConsoleLogger, INestApplication, LogLevel } from '@nestjs/common';
import request from 'supertest';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test, TestingModuleBuilder } from '@nestjs/testing';
import { AppModule } from '../../src/app.module.js';
import { configureApp, createFastifyAdapter } from '../../src/app.setup.js';

/** The admin key `.env.test` sets (ADMIN_API_KEY). */
export const TEST_ADMIN_KEY = 'test-admin-key-0123456789abcdef';

export interface TestApp {
  app: NestFastifyApplication;
  /** A GET with the test admin key. */
  get(path: string): request.Test;
  close(): Promise<void>;
}

/**
 * Boots the real AppModule with these environment variables (restored on close), optionally
 * overriding providers, on Fastify, configured exactly as main.ts does.
 */
/** Collects every line the app logs, to check that no secret ever reaches a log. */
export class CapturingLogger extends ConsoleLogger {
  readonly lines: string[] = [];

  protected override printMessages(
    messages: unknown[],
    context?: string,
    logLevel?: LogLevel,
    _stream?: 'stdout' | 'stderr',
    errorStack?: unknown,
  ): void {
    for (const m of messages) {
      const text = m instanceof Error ? m.stack : typeof m === 'string' ? m : JSON.stringify(m);
      this.lines.push(`${logLevel ?? 'log'} [${context ?? ''}] ${text}${errorStack ? `\n${String(errorStack)}` : ''}`);
    }
  }

  protected override printStackTrace(stack: string): void {
    this.lines.push(stack);
  }
}

export async function bootApp(
  env: Record<string, string | undefined>,
  customize: (builder: TestingModuleBuilder) => TestingModuleBuilder = (b) => b,
  logger: ConsoleLogger | false = false,
  root: Parameters<typeof AppModule.forRoot>[0] = {},
): Promise<TestApp> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  const restore = () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    const moduleRef = await customize(Test.createTestingModule({ imports: [AppModule.forRoot(root)] })).compile();
    const app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(), { logger });
    configureApp(app);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return {
      app,
      get: (path: string) => request(app.getHttpServer()).get(path).set('authorization', `Bearer ${TEST_ADMIN_KEY}`),
      close: async () => {
        await app.close();
        restore();
      },
    };
  } catch (error) {
    restore();
    throw error;
  }
}

export const server = (app: INestApplication) => app.getHttpServer();
