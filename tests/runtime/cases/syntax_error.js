console.log('must not run: the script does not compile');
let fine = 1;
this is not javascript;
