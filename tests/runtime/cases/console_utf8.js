// Non-ASCII is written as UTF-8; a lone surrogate becomes U+FFFD.
console.log('héllo ✓', '\ud800');
