// Stands in for zod inside the Apps Script bundle. The add-on uses shared/blocks.ts for its text rules only, but
// that module also declares its zod schemas at load time; this stub lets those declarations evaluate without
// bundling zod (800 KB). Any attempt to validate with a schema fails loudly instead of passing silently.
const refuse = () => {
  throw new Error('zod is not bundled into the add-on: validate in the API or with the add-on\'s own checks.');
};

function chain(): unknown {
  const target = function schema() {
    return undefined;
  };
  return new Proxy(target, {
    get: (_target, key) => (key === 'parse' || key === 'safeParse' || key === 'parseAsync' || key === 'safeParseAsync' ? refuse : chain()),
    apply: () => chain(),
  });
}

export const z = chain();
export default z;
