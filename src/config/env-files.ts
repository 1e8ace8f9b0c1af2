/**
 * The env file a deployment reads, by NODE_ENV; variables already in the environment always win.
 * `.env.local` is what a plain `npm start` uses.
 */
export function envFilesFor(nodeEnv: string | undefined): string[] {
  switch (nodeEnv) {
    case 'production':
      return ['.env.production'];
    case 'test':
      return ['.env.test'];
    default:
      return ['.env.local'];
  }
}
