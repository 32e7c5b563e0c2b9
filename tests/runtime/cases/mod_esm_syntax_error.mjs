// A syntax error in an imported module is reported at its file:line.
import '../fixtures/esm_syntax_error.mjs';
