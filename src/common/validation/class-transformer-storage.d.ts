// class-transformer ships no types for the module its decorators write to; they are those of types/storage.d.ts.
declare module 'class-transformer/cjs/storage.js' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage.js';
}
