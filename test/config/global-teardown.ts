/** Stops what the global setup started and removes its folders (self-contained: see global-setup.ts). */
export default async function globalTeardown(): Promise<void> {
  const started = globalThis.testServicesStarted ?? [];
  for (const service of started.reverse()) await service.stop();
  started.length = 0;
}
