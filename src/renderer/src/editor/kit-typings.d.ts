// The typings of `@loopscope/kit` as text, generated at build time from src/runtime/kit/kit.d.ts by the
// `loopscope-kit-typings` Vite plugin (src/server/renderer-build.ts): the renderer never imports the runtime.
declare module 'virtual:loopscope/kit-typings' {
  const text: string;
  export default text;
}
