// Importing a name a module does not export fails at link time, before anything runs.
import '../fixtures/esm_missing_export.mjs';
