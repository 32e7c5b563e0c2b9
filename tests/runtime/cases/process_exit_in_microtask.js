// process.exit() inside a promise reaction stops everything at once.
Promise.resolve().then(() => {
  console.log('in then');
  process.exit(5);
  console.log('not reached');
});
Promise.resolve().then(() => console.log('not reached either'));
console.log('sync');
