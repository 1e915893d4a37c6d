// The provider client loads the openai SDK at its first call. Tests on a manual clock fire the
// next timer whenever nothing else is pending, so a module load in real time would look like a
// hung call: load the SDK (and ajv, for output contracts) before any test runs.
await import('openai');
await import('ajv');
