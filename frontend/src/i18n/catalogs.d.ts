// A part of a language's catalog (src/i18n/areas.ts), cut from the JSON file at build time
// by the `catalogAreas` plugin of vite.config.ts.
declare module "*.json?area=base" {
  const part: Record<string, string>;
  export default part;
}
declare module "*.json?area=studio" {
  const part: Record<string, string>;
  export default part;
}
