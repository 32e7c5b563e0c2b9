// Circular imports: b.mjs runs first and sees a's binding in its temporal dead zone;
// later reads see the value.
import '../fixtures/circular/a.mjs';
