// An ES module that throws while evaluating: the report shows the module's file:line.
import '../fixtures/esm_throws.mjs';
