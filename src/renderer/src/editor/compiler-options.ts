/**
 * The TypeScript compiler options of the editor's language service, in one place: Monaco gets them
 * (monaco.ts), and the CI test that type-checks every bundled lesson (lesson-typings.test.ts) uses exactly these.
 * Plain numbers instead of `ts` enums so the renderer does not import the compiler.
 */
export const EDITOR_COMPILER_OPTIONS = {
  target: 99 /* ESNext */,
  module: 99 /* ESNext */,
  moduleResolution: 100 /* Bundler */,
  lib: ['es2024'],
  strict: true,
  noEmit: true,
  allowJs: true,
  checkJs: false,
  allowImportingTsExtensions: true,
  allowNonTsExtensions: true,
  esModuleInterop: true,
  skipLibCheck: true,
  types: [] as string[],
};

/** Where the editor keeps a lesson's files: one URI folder per lesson key (see code-editor.ts). */
export function lessonModelBase(key: string): string {
  return `file:///lessons/${key.replace(/[^\w-]/g, '_')}/`;
}
